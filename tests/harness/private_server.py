"""A private server a test may freeze (SIGSTOP), thaw (SIGCONT), kill or stop, or a bench figure
may measure on its own.

The shared servers (3306, 27017, 9092) serve other test runs at the same time, so whoever harms
or measures a server alone starts its own copy, on a free port of 127.0.0.1, in a directory of
its own. Used as a context manager: the server is stopped (thawed first) however the block ends.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from tests.support import wait_until

from .processes import Service, free_port, kill, spawn, stop


class PrivateServer(Service):
    name = "server"

    def __init__(self, workdir: Path, log: Path | None = None) -> None:
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log = log or workdir / f"{self.name}.log"

    def command(self) -> list[str]:
        raise NotImplementedError

    def environment(self) -> dict[str, str]:
        """The server's environment (secrets go here, not on its command line)."""
        return dict(os.environ)

    def ready(self) -> bool:
        raise NotImplementedError

    def start(self, timeout: float = 60.0) -> None:
        self.process = spawn(
            self.command(), self.log, self.environment(), group=True, cwd=self.workdir
        )
        wait_until(self._up, timeout=timeout, interval=0.2, what=f"{self.name} to answer")

    def _up(self) -> bool:
        assert self.process is not None and self.process.poll() is None, f"see {self.log}"
        return self.ready()

    def _signal(self, sig: signal.Signals) -> None:
        assert self.process is not None and self.process.poll() is None, f"{self.name} is down"
        self.process.send_signal(sig)

    def freeze(self) -> None:
        """SIGSTOP: its sockets stay open and its clients hang, as with a stalled machine."""
        self._signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self._signal(signal.SIGCONT)

    def kill(self) -> None:
        assert self.process is not None
        kill(self.process)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)  # thawed first: a frozen process cannot act on SIGTERM
