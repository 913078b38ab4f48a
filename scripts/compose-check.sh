#!/usr/bin/env bash
# Validates Compose files with compose-go, the loader `docker compose` itself is built on (there
# is no Docker engine here): schema, `${VAR:?}` interpolation, merging, consistency. Prints the
# normalized project as JSON, like `docker compose config --format json`; exit 1 on an error.
#   scripts/compose-check.sh -f docker-compose.yml --env-file docker.env
#   scripts/compose-check.sh --build     # only build; prints the binary's path
# The binary is built once from the Go module proxy into .services/bin/; its name carries the
# hash of its sources, so a change of version or code rebuilds it.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src="$ROOT/scripts/compose-check"
hash=$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" | sha256sum | cut -c1-12)
bin="$ROOT/.services/bin/compose-check-$hash"

if [[ ! -x $bin ]]; then
  command -v go >/dev/null || { echo "error: Go is needed to build compose-check" >&2; exit 1; }
  mkdir -p "$ROOT/.services/bin"
  # Build beside the target, then rename: two runs at once never see half a binary.
  tmp=$(mktemp "$bin.XXXXXX")
  (cd "$src" && GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath -o "$tmp" .) || { rm -f "$tmp"; exit 1; }
  mv -f "$tmp" "$bin"
fi

if [[ ${1-} == --build ]]; then
  echo "$bin"
  exit 0
fi
exec "$bin" "$@"
