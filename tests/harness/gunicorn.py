"""The gunicorn launcher: `gunicorn techbank.wsgi` on a free port of 127.0.0.1, as a child in a
process group of its own (one signal reaches the master and its workers), serving once a probe
answers.

Its cwd is the repository, so gunicorn.conf.py applies as in production (scripts/run.sh). The
environment is the caller's: `gunicorn()` below gives a test's server this test run's
databases and topics; the bench hands in its own (bench/harness.py).
"""

from __future__ import annotations

import signal
import subprocess
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tests.support import wait_until

from .processes import ROOT, Service, child_env, free_port, kill, spawn, stop

SCHEMA = "/api/schema/"


def answers(url: str, status: int = 200, body: bytes | None = None) -> bool:
    """Whether `url` answers `status` now (a POST of `body` when given, a GET otherwise)."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == status
    except urllib.error.HTTPError as error:
        return error.code == status
    except OSError:  # refused, reset, timed out: not serving yet
        return False


class Gunicorn(Service):
    """`start()` waits until `ready(url)` holds (default: the schema answers 200)."""

    def __init__(
        self,
        log: Path,
        *args: str,
        env: Mapping[str, str],
        ready: Callable[[str], bool] = lambda url: answers(url + SCHEMA),
        app: str = "techbank.wsgi",
    ) -> None:
        self.log, self.args, self.env, self.ready = log, args, env, ready
        self.app = app  # the WSGI application gunicorn serves (the bench's raw limit wraps ours)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
        return [gunicorn, self.app, "--bind", f"127.0.0.1:{self.port}", *self.args]

    def start(self, timeout: float = 60.0) -> None:
        """Starts it (again, after a kill: same port, same log) and waits until it serves."""
        self.process = spawn(self.command(), self.log, self.env, group=True)
        wait_until(self._serving, timeout=timeout, interval=0.1, what=f"gunicorn on {self.url}")

    def _serving(self) -> bool:
        assert self.process is not None and self.process.poll() is None, (
            f"gunicorn exited; see {self.log}"
        )
        return self.ready(self.url)

    def kill(self, sig: signal.Signals = signal.SIGKILL) -> None:
        """`sig` to master and workers at once (SIGKILL: mid-request, nothing cleaned up)."""
        assert self.process is not None
        kill(self.process, sig)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


def web_server(log: Path, *args: str, **env: str) -> Gunicorn:
    """A gunicorn of this test run (child_env, DEBUG off as in production), `env` on top."""
    return Gunicorn(log, *args, env={**child_env(), "DEBUG": "false", **env})


@contextmanager
def gunicorn(log: Path, *args: str, **env: str) -> Iterator[str]:
    """Yields the base URL (http://127.0.0.1:PORT) of a web_server() while it runs."""
    with web_server(log, *args, **env) as server:
        yield server.url
