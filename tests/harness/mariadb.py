"""A private MariaDB, and the test process's view of it: the read database a fault test freezes
(tests/faults/test_mysql_frozen.py) while a `consume_events` child projects into it."""

from __future__ import annotations

import secrets
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .private_server import PrivateServer
from .processes import PY, ROOT, child_env


class PrivateMariaDB(PrivateServer):
    """A MariaDB with one database and a password user, as scripts/services.sh provisions."""

    name = "mariadb"
    database = "techbank_faults"

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir)
        self.data = workdir / "data"
        self.socket = workdir / "mysqld.sock"
        self.password = secrets.token_hex(12)

    @property
    def url(self) -> str:
        return f"mysql://techbank:{self.password}@127.0.0.1:{self.port}/{self.database}"

    def start(self, timeout: float = 60.0) -> None:
        if not self.data.exists():
            subprocess.run(
                [
                    "mariadb-install-db",
                    "--no-defaults",
                    "--user=root",
                    f"--datadir={self.data}",
                    "--auth-root-authentication-method=socket",
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
        super().start(timeout)
        self.sql(
            f"CREATE DATABASE IF NOT EXISTS {self.database} CHARACTER SET utf8mb4 "
            "COLLATE utf8mb4_unicode_ci;"
            f"CREATE USER IF NOT EXISTS 'techbank'@'127.0.0.1' IDENTIFIED BY '{self.password}';"
            f"GRANT ALL PRIVILEGES ON *.* TO 'techbank'@'127.0.0.1'; FLUSH PRIVILEGES;"
        )

    def command(self) -> list[str]:
        return [
            shutil.which("mariadbd") or "/usr/sbin/mariadbd",
            "--no-defaults",
            "--user=root",
            f"--datadir={self.data}",
            f"--socket={self.socket}",
            f"--port={self.port}",
            "--bind-address=127.0.0.1",
            f"--pid-file={self.workdir / 'mariadbd.pid'}",
            "--innodb-buffer-pool-size=64M",
            "--innodb-log-file-size=16M",
        ]

    def sql(self, statements: str) -> None:
        subprocess.run(
            ["mariadb", "--no-defaults", f"--socket={self.socket}", "-uroot", "-e", statements],
            check=True,
            capture_output=True,
            timeout=30,
        )

    def ready(self) -> bool:
        probe = subprocess.run(
            ["mariadb-admin", "--no-defaults", f"--socket={self.socket}", "-uroot", "ping"],
            capture_output=True,
            timeout=10,
        )
        return probe.returncode == 0


def migrate(url: str) -> None:
    """The private database gets its tables and roles as `make migrate` makes them."""
    subprocess.run(
        [PY, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**child_env(), "DATABASE_URL": url, "MIGRATION_DATABASE_URL": url},
        check=True,
        timeout=180,
    )


@contextmanager
def database_alias(url: str, alias: str = "faults") -> Iterator[str]:
    """A Django database alias on `url` in this process, for the block."""
    import environ
    from django.conf import settings
    from django.db import connections
    from django.db.utils import load_backend

    config = environ.Env.db_url_config(url)
    config["OPTIONS"] = dict(settings.DATABASES["default"].get("OPTIONS", {}))
    config["CONN_MAX_AGE"] = 0
    filled = connections.configure_settings(
        {"default": dict(settings.DATABASES["default"]), alias: config}
    )[alias]
    # Only the connection, not its settings: Django's test case then treats it as made on the
    # fly (allowed) and never tries to flush or create it as a test database.
    wrapper = load_backend(filled["ENGINE"]).DatabaseWrapper(filled, alias)
    # connections._connections: Django's per-thread store, which django-stubs does not declare.
    setattr(connections._connections, alias, wrapper)  # type: ignore[attr-defined]
    try:
        yield alias
    finally:
        wrapper.close()
        delattr(connections._connections, alias)  # type: ignore[attr-defined]
