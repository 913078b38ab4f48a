"""A private PostgreSQL (scripts/postgres.sh: Debian's package, installed the first time) in a
temporary directory, stopped and removed however the block ends (the bench turns SIGTERM into
KeyboardInterrupt, so this `finally` runs then too)."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from .processes import ROOT

SCRIPT = ROOT / "scripts" / "postgres.sh"


@contextlib.contextmanager
def private_postgres(note: Callable[[str], None] = lambda _: None) -> Iterator[str]:
    """Yields its URL (postgresql://bench:PASSWORD@127.0.0.1:PORT/postgres); `note` hears of
    its start."""
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
        note(f"private PostgreSQL on port {urlsplit(url).port} ({time.monotonic() - started:.1f}s)")
        yield url
    finally:
        with contextlib.suppress(Exception):
            subprocess.run([str(SCRIPT), "stop", str(directory)], capture_output=True, timeout=120)
        shutil.rmtree(directory, ignore_errors=True)
