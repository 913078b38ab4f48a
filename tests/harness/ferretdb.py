"""A private FerretDB: the binary scripts/services.sh builds, with the flags the bench measures it
with, on SQLite files in its directory or (`handler="postgresql"`) on a PostgreSQL (postgres.py).

The fault tests freeze one under load (tests/faults/test_ferretdb_frozen.py); the bench compares
its two backends (bench/ferretdb_backend.py).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from .private_server import PrivateServer
from .processes import ROOT


def ferretdb_binary() -> str:
    """The binary scripts/services.sh builds: its name carries the version and the patch's hash."""
    patch = (ROOT / "services" / "ferretdb" / "sqlite-id-index.patch").read_bytes()
    text = (ROOT / "scripts" / "services.sh").read_text()
    version = text.split("FERRETDB_VERSION=", 1)[1].split()[0]
    path = (
        ROOT / ".services" / "bin" / f"ferretdb-{version}-{hashlib.sha256(patch).hexdigest()[:8]}"
    )
    if not path.exists():
        raise RuntimeError(f"{path} is missing: `make services` builds it")
    return str(path)


class PrivateFerretDB(PrivateServer):
    name = "ferretdb"

    def __init__(
        self,
        workdir: Path,
        handler: str = "sqlite",
        postgresql_url: str = "",
        database: str = "techbank_faults",
        log: Path | None = None,
    ) -> None:
        assert handler in ("sqlite", "postgresql"), handler
        assert (handler == "postgresql") == bool(postgresql_url), "postgresql needs its URL"
        super().__init__(workdir, log)
        self.handler, self.postgresql_url, self.database = handler, postgresql_url, database

    @property
    def url(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/{self.database}"

    def command(self) -> list[str]:
        return [
            ferretdb_binary(),
            f"--handler={self.handler}",
            f"--state-dir={self.workdir}",
            f"--listen-addr=127.0.0.1:{self.port}",
            "--debug-addr=-",
            "--telemetry=disable",
            "--log-level=WARN",
        ]

    def environment(self) -> dict[str, str]:
        env = super().environment()
        if self.handler == "postgresql":
            # The URL carries the password: through the environment, not the command line.
            env["FERRETDB_POSTGRESQL_URL"] = self.postgresql_url
        else:
            (self.workdir / "data").mkdir(exist_ok=True)
            env["FERRETDB_SQLITE_URL"] = f"file:{self.workdir / 'data'}/"
        return env

    def ready(self) -> bool:
        import pymongo

        try:
            with pymongo.MongoClient[dict[str, Any]](
                self.url, serverSelectionTimeoutMS=500
            ) as client:
                client.admin.command("ping")
            return True
        except pymongo.errors.PyMongoError:
            return False
