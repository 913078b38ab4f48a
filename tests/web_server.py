"""A real gunicorn on a free port, serving this test run's databases and topics."""

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.e2e.private_kafka import free_port
from tests.processes import ROOT, child_env
from tests.support import wait_until


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False


@contextmanager
def gunicorn(log: Path, *args: str, **env: str) -> Iterator[str]:
    """Yields the server's base URL (http://127.0.0.1:PORT) while it runs; stops it after."""
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "techbank.wsgi", "--bind", f"127.0.0.1:{port}", *args],
        cwd=ROOT,
        env={**child_env(), "DEBUG": "false", **env},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: answers(f"{base}/api/schema/"), timeout=60, what="gunicorn to serve")
        yield base
    finally:
        server.terminate()
        server.wait(30)
