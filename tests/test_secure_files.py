"""Secrets and data under .services/ (and .env) are readable by their owner only.

The first test looks at the installation `scripts/services.sh up` made (the paths are the ones
that script uses); the others run the script's own functions on a folder of their own.
"""

import os
import shutil
import stat
import subprocess
from pathlib import Path

from tests.conftest import RUN
from tests.harness.processes import ROOT

SVC = ROOT / ".services"


def others_may_use(path: Path) -> bool:
    return bool(path.stat().st_mode & 0o077)


def test_the_running_installation_keeps_its_files_to_its_owner(event_store_db):
    owner_only = [
        SVC / "mariadb",
        SVC / "mariadb" / "password",
        SVC / "mariadb" / "data",
        SVC / "ferretdb",
        SVC / "ferretdb" / "data",
        SVC / "kafka" / "data",
        ROOT / ".env",
        # Made by the running FerretDB for this test run: the server's umask is right too.
        SVC / "ferretdb" / "data" / f"techbank_test_{RUN}.sqlite",
    ]
    readable = [str(p) for p in owner_only if others_may_use(p)]
    assert not readable, (
        f"readable by others: {readable} (run 'scripts/services.sh up'; servers started by an "
        "older services.sh need 'scripts/services.sh stop' first)"
    )
    assert stat.S_IMODE((SVC / "mariadb" / "password").stat().st_mode) == 0o600


def services_sh(script: str, cwd: Path) -> subprocess.CompletedProcess:
    """Runs `script` in bash after sourcing scripts/services.sh (which then only defines)."""
    return subprocess.run(
        ["bash", "-c", f'source "{ROOT}/scripts/services.sh"; {script}'],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )


def test_secure_data_files_takes_group_and_other_rights_away(tmp_path):
    data = tmp_path / "mariadb" / "data"
    data.mkdir(parents=True)
    (data / "ibdata1").write_bytes(b"x")
    (tmp_path / "mariadb" / "password").write_text("secret")
    tool = tmp_path / "mariadb" / "tool"
    tool.write_text("#!/bin/sh\n")
    for path, mode in [(tmp_path / "mariadb", 0o755), (data, 0o775), (tool, 0o755)]:
        path.chmod(mode)
    for path in [data / "ibdata1", tmp_path / "mariadb" / "password"]:
        path.chmod(0o644)

    services_sh(f'secure_data_files "{tmp_path}/mariadb" "{tmp_path}/missing"', tmp_path)

    paths = [tmp_path / "mariadb", data, data / "ibdata1", tool, tmp_path / "mariadb" / "password"]
    modes = {p.relative_to(tmp_path).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in paths}
    assert modes == {
        "mariadb": 0o700,
        "mariadb/data": 0o700,
        "mariadb/data/ibdata1": 0o600,
        "mariadb/tool": 0o700,  # the owner keeps what it had
        "mariadb/password": 0o600,
    }


def test_a_new_env_says_debug_false_and_a_developer_may_opt_in(tmp_path):
    (tmp_path / ".services" / "mariadb").mkdir(parents=True)
    (tmp_path / ".services" / "mariadb" / "password").write_text("pw")
    (tmp_path / ".services" / "mariadb" / "migrate-password").write_text("ddl")
    shutil.copy(ROOT / ".env.example", tmp_path / ".env.example")
    write = f'umask 077; ROOT="{tmp_path}"; SVC="{tmp_path}/.services"; write_env'

    services_sh(write, tmp_path)
    env = (tmp_path / ".env").read_text().splitlines()
    assert "DEBUG=false" in env
    assert "DEBUG=true" not in env
    assert any(line.startswith("SECRET_KEY=") and len(line) > 40 for line in env)
    # Both MySQL users: the application's (rows only) and the migrations' (DDL).
    assert "DATABASE_URL=mysql://techbank:pw@127.0.0.1:3306/techbank" in env
    assert "MIGRATION_DATABASE_URL=mysql://techbank_migrate:ddl@127.0.0.1:3306/techbank" in env
    assert stat.S_IMODE(os.stat(tmp_path / ".env").st_mode) == 0o600

    (tmp_path / ".env").write_text("\n".join(line.replace("false", "true") for line in env))
    services_sh(write, tmp_path)
    assert "DEBUG=true" in (tmp_path / ".env").read_text().splitlines()


def test_this_machines_env_says_plain_http_and_an_older_one_gets_it(tmp_path):
    (tmp_path / ".services" / "mariadb").mkdir(parents=True)
    (tmp_path / ".services" / "mariadb" / "password").write_text("pw")
    (tmp_path / ".services" / "mariadb" / "migrate-password").write_text("ddl")
    shutil.copy(ROOT / ".env.example", tmp_path / ".env.example")
    write = f'umask 077; ROOT="{tmp_path}"; SVC="{tmp_path}/.services"; write_env'

    services_sh(write, tmp_path)
    assert "HTTPS_ONLY=false" in (tmp_path / ".env").read_text().splitlines()

    # An .env written before HTTPS_ONLY existed: make run would redirect to HTTPS otherwise.
    older = [
        line
        for line in (tmp_path / ".env").read_text().splitlines()
        if not line.startswith("HTTPS_ONLY=")
    ]
    (tmp_path / ".env").write_text("\n".join(older) + "\n")
    services_sh(write, tmp_path)
    assert (tmp_path / ".env").read_text().splitlines().count("HTTPS_ONLY=false") == 1

    # One behind a TLS proxy keeps what it says.
    (tmp_path / ".env").write_text(
        (tmp_path / ".env").read_text().replace("HTTPS_ONLY=false", "HTTPS_ONLY=true")
    )
    services_sh(write, tmp_path)
    assert "HTTPS_ONLY=true" in (tmp_path / ".env").read_text().splitlines()
