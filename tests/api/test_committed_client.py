"""The committed schema and Python client are what the code makes: `make client` regenerates both.

openapi/techbank.yaml is the schema /api/schema/ serves, byte for byte; clients/python/ is what
the pinned openapi-python-client makes from that file (scripts/client.sh, offline).
"""

import difflib
import subprocess
from pathlib import Path

from rest_framework.test import APIClient

from tests.harness.processes import ROOT

SCHEMA = ROOT / "openapi" / "techbank.yaml"
CLIENT = ROOT / "clients" / "python"
REGENERATE = "Run `make client` (scripts/client.sh) and commit openapi/ and clients/python/."
# What running or linting the client leaves beside it (git-ignored), not generated code.
NOT_GENERATED = {"__pycache__", ".ruff_cache", ".pytest_cache", ".mypy_cache"}


def test_the_served_schema_is_the_committed_one(db):
    response = APIClient().get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    committed = SCHEMA.read_bytes()
    if response.content != committed:
        diff = difflib.unified_diff(
            committed.decode().splitlines(),
            response.content.decode().splitlines(),
            "openapi/techbank.yaml (committed)",
            "/api/schema/ (served)",
            lineterm="",
        )
        shown = "\n".join(list(diff)[:60])
        raise AssertionError(f"The schema changed. {REGENERATE}\n{shown}")


def files(tree: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(tree)): path.read_bytes()
        for path in sorted(tree.rglob("*"))
        if path.is_file() and not NOT_GENERATED & set(path.relative_to(tree).parts)
    }


def test_the_committed_client_is_what_the_committed_schema_generates(tmp_path):
    fresh = tmp_path / "python"
    generated = subprocess.run(
        ["bash", str(ROOT / "scripts" / "client.sh"), "code", str(fresh)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert generated.returncode == 0, generated.stdout[-3000:] + generated.stderr[-3000:]
    want, have = files(fresh), files(CLIENT)
    assert "techbank_client/api/v1/v1_accounts_open_create.py" in want
    assert sorted(want) == sorted(have), (
        f"Files differ: only generated {sorted(set(want) - set(have))}, only committed "
        f"{sorted(set(have) - set(want))}. {REGENERATE}"
    )
    changed = [name for name in want if want[name] != have[name]]
    assert not changed, f"Generated code differs in {changed[:10]}. {REGENERATE}"
