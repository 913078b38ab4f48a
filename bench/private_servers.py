"""Private servers for one figure: a PostgreSQL (scripts/postgres.sh) and FerretDBs.

`with private_postgres() as url:` starts it (installing Debian's package the first time) and
stops it and removes its files on the way out, whatever the way out is: an error, Ctrl-C, or
SIGTERM (the harness turns that into KeyboardInterrupt, so this `finally` runs).
`with private_ferretdb(bench, "postgresql") as url:` adds the FerretDB binary scripts/services.sh
builds, with its flags, on such a PostgreSQL (`"sqlite"`: on SQLite files in a temporary
directory), on a free port of 127.0.0.1, as one of the run's children.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from .harness import MONGO_DB, ROOT, Bench, free_port, log, wait_for

SCRIPT = ROOT / "scripts" / "postgres.sh"


@contextlib.contextmanager
def private_postgres() -> Iterator[str]:
    """Yields the connection URL (postgresql://bench:PASSWORD@127.0.0.1:PORT/postgres)."""
    directory = Path(tempfile.mkdtemp(prefix="techbank-bench-pg-"))
    try:
        started = time.monotonic()
        result = subprocess.run(
            [str(SCRIPT), "start", str(directory)],
            capture_output=True,
            text=True,
            timeout=900,  # the first call may install the package
        )
        if result.returncode != 0:
            raise RuntimeError(f"scripts/postgres.sh start failed:\n{result.stderr[-3000:]}")
        url = result.stdout.strip().splitlines()[-1]
        log(f"private PostgreSQL on port {urlsplit(url).port} ({time.monotonic() - started:.1f}s)")
        yield url
    finally:
        with contextlib.suppress(Exception):
            subprocess.run([str(SCRIPT), "stop", str(directory)], capture_output=True, timeout=120)
        shutil.rmtree(directory, ignore_errors=True)


def eventsourcing_env(url: str, pool_size: int) -> dict[str, str]:
    """eventsourcing's POSTGRES_* settings for `url`."""
    parts = urlsplit(url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": parts.path.lstrip("/"),
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": parts.username or "",
        "POSTGRES_PASSWORD": parts.password or "",
        "POSTGRES_POOL_SIZE": str(pool_size),
    }


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


@contextlib.contextmanager
def private_ferretdb(bench: Bench, handler: str) -> Iterator[str]:
    """Yields the Mongo URL of a private FerretDB on `handler` ("sqlite" or "postgresql")."""
    state = tempfile.mkdtemp(prefix=f"techbank-bench-ferretdb-{handler}-")
    try:
        with contextlib.ExitStack() as stack:
            env = dict(bench.env)
            if handler == "postgresql":
                # The URL carries the password: through the environment, not the command line.
                env["FERRETDB_POSTGRESQL_URL"] = stack.enter_context(private_postgres())
            else:
                env["FERRETDB_SQLITE_URL"] = f"file:{state}/"
            port = free_port()
            argv = [
                ferretdb_binary(),
                f"--handler={handler}",
                f"--state-dir={state}",
                f"--listen-addr=127.0.0.1:{port}",
                "--debug-addr=-",
                "--telemetry=disable",
                "--log-level=WARN",
            ]
            child = bench.spawn(f"ferretdb-{handler}", argv, env)
            stack.callback(bench.stop, child)
            url = f"mongodb://127.0.0.1:{port}/{MONGO_DB}"
            wait_for(lambda: _answers(url) or child.process.poll() is not None, 60)
            if child.process.poll() is not None:
                raise RuntimeError(f"FerretDB exited; see {child.log_path}")
            yield url
    finally:
        shutil.rmtree(state, ignore_errors=True)


def _answers(url: str) -> bool:
    import pymongo

    try:
        with pymongo.MongoClient(url, serverSelectionTimeoutMS=500) as client:
            client.admin.command("ping")
        return True
    except pymongo.errors.PyMongoError:
        return False
