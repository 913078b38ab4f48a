"""MariaDB as `scripts/services.sh up` runs it: not as root, and with two users.

The script's own functions start a private MariaDB on a free port in a folder of this test's
(the shared server on :3306 is never touched): from a data dir an older services.sh made as
root, so the hand-over (chown) is tested too. Then `manage.py migrate` runs as the migrations'
user, and the application's user is shown to have rows only on the read models.
"""

from __future__ import annotations

import os
import pwd
import subprocess
from collections.abc import Iterator
from pathlib import Path

import MySQLdb
import pytest

from scripts.kafka_cluster import free_port
from tests.harness.processes import PY, ROOT

DENIED = 1142  # ER_TABLEACCESS_DENIED_ERROR: "<command> command denied to user"


def services_sh(svc: Path, port: int, script: str) -> None:
    """`script` in bash with scripts/services.sh's functions, on `svc` and `port`."""
    setup = f'SVC="{svc}"; MYSQL_PORT={port}; mysql_socket="$SVC/mariadb/mysqld.sock"; '
    subprocess.run(
        ["bash", "-c", f'source "{ROOT}/scripts/services.sh"; {setup}{script}'],
        check=True,
        capture_output=True,
        text=True,
        timeout=180,
    )


def uid_of(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])


@pytest.fixture(scope="module", params=["data dir made as root", "no data dir yet"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, int]]:
    # What is tested is the hand-over from root: the suite runs as root (CI does), and a run
    # that is not says so rather than passing over it.
    assert os.geteuid() == 0, "run as root: services.sh hands MariaDB to `mysql` only then"
    svc = tmp_path_factory.mktemp("services")
    port = free_port()
    data = svc / "mariadb" / "data"
    if request.param == "data dir made as root":  # what an older services.sh left
        data.mkdir(parents=True)
        subprocess.run(
            [
                "mariadb-install-db",
                "--no-defaults",
                "--user=root",
                f"--datadir={data}",
                "--auth-root-authentication-method=socket",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        assert data.stat().st_uid == 0
    pid_file = svc / "run" / "mariadb.pid"
    try:
        services_sh(svc, port, 'mkdir -p "$SVC/logs" "$SVC/run"; mariadb_up')
        pid = pid_file.read_text().strip()
        yield svc, port
    finally:
        services_sh(svc, port, "stop_one mariadb")  # what it started, by its pid file
    assert not Path(f"/proc/{pid}").exists(), "the private MariaDB is still running"


def url(svc: Path, port: int, user: str, password_file: str) -> str:
    password = (svc / "mariadb" / password_file).read_text().strip()
    return f"mysql://{user}:{password}@127.0.0.1:{port}/techbank"


def connect(svc: Path, port: int, user: str, password_file: str) -> MySQLdb.Connection:
    password = (svc / "mariadb" / password_file).read_text().strip()
    return MySQLdb.connect(
        host="127.0.0.1", port=port, user=user, password=password, database="techbank"
    )


def test_mariadb_runs_as_the_unprivileged_mysql_user_and_owns_its_data(server):
    svc, _ = server
    mysql = pwd.getpwnam("mysql").pw_uid
    pid = int((svc / "run" / "mariadb.pid").read_text())
    assert uid_of(pid) == mysql != 0
    data = svc / "mariadb" / "data"
    assert data.stat().st_uid == mysql  # handed over from root
    assert all(p.stat().st_uid == mysql for p in data.rglob("*"))
    # The passwords stay root's, for its eyes only: the server's user cannot read them.
    for name in ("password", "migrate-password"):
        path = svc / "mariadb" / name
        assert (path.stat().st_uid, path.stat().st_mode & 0o777) == (0, 0o600)


def test_migrations_run_as_the_ddl_user_and_the_app_user_has_rows_only(server):
    svc, port = server
    app_url = url(svc, port, "techbank", "password")
    subprocess.run(
        [PY, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": app_url,
            "MIGRATION_DATABASE_URL": url(svc, port, "techbank_migrate", "migrate-password"),
        },
        check=True,
        timeout=300,
    )
    app = connect(svc, port, "techbank", "password")
    try:
        cursor = app.cursor()
        row = (
            "('00000000-0000-0000-0000-000000000001', 'Least', 'SAVINGS', 1.00, 'OPEN', NOW(), 1,"
            " NOW())"
        )
        cursor.execute(
            "INSERT INTO accounts_query_account "
            "(id, holder, account_type, balance, status, opened_at, version, updated_at) "
            f"VALUES {row}"
        )
        cursor.execute("UPDATE accounts_query_account SET balance = 2.00 WHERE holder = 'Least'")
        cursor.execute("SELECT balance FROM accounts_query_account WHERE holder = 'Least'")
        assert str(cursor.fetchone()[0]) == "2.00"
        cursor.execute("DELETE FROM accounts_query_account WHERE holder = 'Least'")
        app.commit()
        for ddl in (
            "CREATE TABLE intruder (id INT)",
            "DROP TABLE accounts_query_account",
            "ALTER TABLE accounts_query_account ADD COLUMN intruder INT",
            "CREATE INDEX intruder ON accounts_query_account (holder)",
            "TRUNCATE TABLE accounts_query_statementline",
        ):
            with pytest.raises(MySQLdb.OperationalError) as refused:
                cursor.execute(ddl)
            assert refused.value.args[0] == DENIED, (ddl, refused.value.args)
    finally:
        app.close()
    # The migrations' user may (that is what it is for).
    ddl_user = connect(svc, port, "techbank_migrate", "migrate-password")
    try:
        ddl_user.cursor().execute("CREATE TABLE allowed (id INT)")
        ddl_user.cursor().execute("DROP TABLE allowed")
    finally:
        ddl_user.close()


def test_a_second_up_changes_nothing_and_keeps_the_server(server):
    svc, port = server
    pid = (svc / "run" / "mariadb.pid").read_text()
    services_sh(svc, port, "mariadb_up")
    assert (svc / "run" / "mariadb.pid").read_text() == pid
    grants = subprocess.run(
        [
            "mariadb",
            "--no-defaults",
            f"--socket={svc / 'mariadb' / 'mysqld.sock'}",
            "-uroot",
            "-N",
            "-e",
            "SHOW GRANTS FOR 'techbank'@'127.0.0.1'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "GRANT SELECT, INSERT, UPDATE, DELETE ON `techbank`.*" in grants
    assert "ALL PRIVILEGES ON `techbank`" not in grants
