// compose-check loads Compose files the way `docker compose config` does, with the same
// library (compose-spec/compose-go): schema validation, `${VAR:?}` interpolation, merging of
// several -f files, normalization and consistency checks. It prints the normalized project as
// JSON on stdout, or the loader's error on stderr with exit status 1.
//
// There is no Docker engine on the project's machines, so this is what CI runs instead of
// `docker compose config` (see tests/test_compose.py).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	var files, envFiles, profiles list
	flag.Var(&files, "f", "Compose file (repeatable; later files override earlier ones)")
	flag.Var(&envFiles, "env-file", "env file for interpolation (repeatable; default: .env beside the first file)")
	flag.Var(&profiles, "profile", "profile to enable (repeatable)")
	flag.Parse()
	if len(files) == 0 {
		fmt.Fprintln(os.Stderr, "usage: compose-check -f docker-compose.yml [-f override.yml] [--env-file F] [--profile P]")
		os.Exit(2)
	}
	if err := run(files, envFiles, profiles); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(files, envFiles, profiles []string) error {
	// The same option chain as docker compose's own project loading.
	opts, err := cli.NewProjectOptions(files,
		cli.WithOsEnv,
		cli.WithEnvFiles(envFiles...),
		cli.WithDotEnv,
		cli.WithProfiles(profiles),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		return err
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		return err
	}
	out, err := project.MarshalJSON()
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(append(out, '\n'))
	return err
}
