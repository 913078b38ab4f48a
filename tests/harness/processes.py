"""Child processes of the tests and the bench: started from the repository, their output in a log
file, stopped for sure.

A server child (gunicorn, a private database) gets a process group of its own, so that one
signal reaches its workers too and a terminal's Ctrl-C is left to the parent that started it.
`child_env()` is what a test's `manage.py` or gunicorn child needs to use this test run's
databases and topics; it reads Django's settings, so only the tests call it (bench/harness.py
builds the bench's environment).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

from scripts.kafka_cluster import free_port

from . import leak_scan

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable

__all__ = [
    "PY",
    "ROOT",
    "Service",
    "child_env",
    "free_port",
    "kill",
    "running",
    "spawn",
    "start_manage",
    "start_worker",
    "stop",
    "stop_cleanly",
]


def spawn(
    argv: Sequence[str],
    log: Path,
    env: Mapping[str, str] | None = None,
    *,
    group: bool = False,
    cwd: Path = ROOT,
) -> subprocess.Popen:
    """`argv` with stdout and stderr appended to `log`; `group`: in a process group of its own.

    The log is registered with leak_scan: no secret issued in the run may appear in it."""
    leak_scan.log_file(log)
    with log.open("ab") as output:  # the child holds its own copy of the file
        return subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(os.environ if env is None else env),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=group,
        )


def _signal(process: subprocess.Popen, sig: signal.Signals) -> None:
    """`sig` to the process, or to its whole group when it leads one of its own."""
    with contextlib.suppress(ProcessLookupError):
        if os.getpgid(process.pid) == process.pid:
            os.killpg(process.pid, sig)
        else:
            process.send_signal(sig)


def stop(process: subprocess.Popen, timeout: float = 30.0) -> int:
    """SIGTERM (a clean stop), SIGKILL if it has not stopped after `timeout`; its exit code."""
    if process.poll() is None:
        _signal(process, signal.SIGCONT)  # a frozen (SIGSTOP) process cannot act on SIGTERM
        _signal(process, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            kill(process)
    return process.wait()


def kill(process: subprocess.Popen, sig: signal.Signals = signal.SIGKILL) -> None:
    """`sig` (SIGKILL: no clean-up at all) unless it has ended; waits for it to end."""
    if process.poll() is None:
        _signal(process, sig)
        process.wait(30)


def stop_cleanly(process: subprocess.Popen, log: Path, timeout: float = 30.0) -> None:
    """It is still running, stops on SIGTERM within `timeout`, and exits 0."""
    assert process.poll() is None, f"it exited ({process.returncode}); see {log}"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout) == 0, f"see {log}"


class Service:
    """A server child: started on entering a `with`, stopped on leaving it however the block
    ends, and also when it fails to start (a half-started server is stopped too)."""

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


@contextlib.contextmanager
def running(process: subprocess.Popen) -> Iterator[subprocess.Popen]:
    """`process` for the block, stopped after it if still running: a failed test leaves none."""
    try:
        yield process
    finally:
        stop(process)


def child_env() -> dict[str, str]:
    """Environment for a child that uses this test run's databases and topics."""
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    database = f"mysql://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": database,
        # A child's `migrate` works on this run's database too, never on techbank.
        "MIGRATION_DATABASE_URL": database,
        "MONGODB_URL": settings.MONGODB_URL,
        "KAFKA_BOOTSTRAP_SERVERS": settings.KAFKA_BOOTSTRAP_SERVERS,
        "KAFKA_EVENTS_TOPIC": settings.KAFKA_EVENTS_TOPIC,
        "KAFKA_TRANSFER_EVENTS_TOPIC": settings.KAFKA_TRANSFER_EVENTS_TOPIC,
        "KAFKA_USER_EVENTS_TOPIC": settings.KAFKA_USER_EVENTS_TOPIC,
        "KAFKA_DEAD_LETTER_TOPIC": settings.KAFKA_DEAD_LETTER_TOPIC,
        "RELAY_INTERVAL_SECONDS": "0.5",
        "RELAY_GRACE_SECONDS": "0",
        "PYTHONUNBUFFERED": "1",
        # Several workers may run at once: each binds its health port to a free one.
        "WORKER_HTTP_PORT": "0",
        "TRANSFERS_HEALTH_PORT": "0",
        "USERS_HEALTH_PORT": "0",
    }


def start_manage(
    command: Sequence[str], log: Path, env: Mapping[str, str] | None = None
) -> subprocess.Popen:
    """`manage.py COMMAND...` on this test run's backends; `env`: what differs from child_env()."""
    return spawn([PY, "manage.py", *command], log, {**child_env(), **(env or {})})


def start_worker(
    group: str, *args: str, log: Path, env: Mapping[str, str] | None = None
) -> subprocess.Popen:
    """`manage.py consume_events` in consumer group `group`."""
    return start_manage(["consume_events", "--group", group, *args], log, env)
