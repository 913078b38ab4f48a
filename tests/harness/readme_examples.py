"""The README's examples as a test runs them: its `sh` blocks, each with the marker above it.

A block a reader copies is marked by an HTML comment on the line before its fence (invisible
on GitHub):

    <!-- example: expect 201 200 200+ -->   the HTTP statuses its requests get, in order
                                            (`200+`: one or more 200s, for a loop);
    <!-- example: not run: REASON -->       what the test cannot do (a browser login, `make run`).

`run_blocks` runs the blocks in order, each in a bash of its own that starts from the
variables the earlier ones exported (`set -a`: every assignment is exported), under
`set -euo pipefail`. curl reports each answer's status on stderr through a `.curlrc` of the
test's own (`CURL_HOME`), so the blocks stay exactly as a reader copies them.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .processes import ROOT

README = ROOT / "README.md"
MARKER = re.compile(r"<!-- example: (expect ((?:\d{3}\+? ?)+)|not run: (.+?)) -->")
STATUS = re.compile(r"^@@status (\d{3})$", re.M)
HEADING = re.compile(r"^(#{2,3}) (.+)$")


@dataclass(frozen=True)
class Block:
    section: str  # the `##`/`###` heading it is under
    line: int  # of its opening fence, 1-based
    text: str
    marker: str | None  # the comment's text after "example: ", None when unmarked
    expect: tuple[str, ...] = ()  # statuses ("200", "200+") when it is run
    not_run: str | None = None  # why not, when it is not run


def sh_blocks(readme: Path = README) -> Iterator[Block]:
    """Every ```sh block of the README, with its section and marker."""
    lines = readme.read_text().splitlines()
    section, i = "", 0
    while i < len(lines):
        if heading := HEADING.match(lines[i]):
            section = heading.group(2)
        if lines[i].startswith("```"):
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            if lines[i] == "```sh":
                above = lines[i - 1] if i else ""
                found = MARKER.fullmatch(above)
                yield Block(
                    section,
                    i + 1,
                    "\n".join(lines[i + 1 : end]) + "\n",
                    above if found else None,
                    tuple(found.group(2).split()) if found and found.group(2) else (),
                    found.group(3) if found else None,
                )
            i = end
        i += 1


def statuses_match(expect: tuple[str, ...], got: list[str]) -> bool:
    pattern = "".join(f"(?:{s[:3]} )+" if s.endswith("+") else f"{s} " for s in expect)
    return re.fullmatch(pattern, "".join(f"{s} " for s in got)) is not None


# $1: the variables so far (export -p's output), $2: the block.
RUNNER = """set -a
. "$1"
set -euo pipefail
. "$2"
set +eu
export -p > "$1"
"""


def run_blocks(blocks: list[Block], env: Mapping[str, str], folder: Path) -> None:
    """Runs each block that has statuses to expect, in order; fails on the first whose bash
    fails or whose statuses differ, with its text and output."""
    (folder / ".curlrc").write_text('write-out = "%{stderr}@@status %{http_code}\\n"\n')
    state = folder / "state.sh"
    state.write_text("")
    for n, block in enumerate(b for b in blocks if b.expect):
        script = folder / f"block-{n}.sh"
        script.write_text(block.text)
        done = subprocess.run(
            ["bash", "-c", RUNNER, "bash", str(state), str(script)],
            cwd=ROOT,
            env={**env, "CURL_HOME": str(folder)},
            capture_output=True,
            text=True,
            timeout=60,
        )
        got = STATUS.findall(done.stderr)
        if done.returncode != 0 or not statuses_match(block.expect, got):
            raise AssertionError(
                f"README line {block.line} ({block.section}): exit {done.returncode}, "
                f"statuses {' '.join(got) or 'none'}, expected {' '.join(block.expect)}\n"
                f"--- block\n{block.text}--- stdout\n{done.stdout[-4000:]}\n"
                f"--- stderr (with each answer's status)\n{done.stderr[-4000:]}"
            )
