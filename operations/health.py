"""Readiness: does each backing server answer, within a deadline even if one hangs?

Each check opens its own short-timeout connection (never the request's Django connection,
which has no read timeout) and runs in a daemon thread: a frozen server, one that accepts the
connection and never answers, costs the caller at most the deadline. The three run at once.

A process answers its probes from one `ReadinessProbe`: a result is reused for
READINESS_REUSE_SECONDS, and callers arriving while a check runs wait for that one, so a flood
of /readyz costs the servers at most one round of checks per window per process. What failed
and why is for the operator (`public_view` keeps it from anonymous callers; it is logged).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Any

import MySQLdb
from confluent_kafka.admin import AdminClient
from django.conf import settings
from pymongo import MongoClient

from kernel.kafka_config import SILENT, admin_config

log = logging.getLogger(__name__)

Check = Callable[[float], str]


def check_mysql(timeout: float) -> str:
    db = settings.DATABASES["default"]
    seconds = max(1, math.ceil(timeout))  # the client takes whole seconds
    connection = MySQLdb.connect(
        host=db.get("HOST") or "127.0.0.1",
        port=int(db.get("PORT") or 3306),
        user=db.get("USER") or "",
        password=db.get("PASSWORD") or "",
        database=db.get("NAME") or "",
        connect_timeout=seconds,
        read_timeout=seconds,
        write_timeout=seconds,
    )
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT 1")
        cursor.fetchone()
        return f"server {connection.get_server_info()}"
    finally:
        connection.close()


def check_event_store(timeout: float) -> str:
    ms = int(timeout * 1000)
    client: MongoClient = MongoClient(
        settings.MONGODB_URL,
        serverSelectionTimeoutMS=ms,
        connectTimeoutMS=ms,
        socketTimeoutMS=ms,
    )
    try:
        client.admin.command("ping")
        return "ping ok"
    finally:
        client.close()


def check_kafka(timeout: float) -> str:
    admin = AdminClient(
        admin_config(
            settings.KAFKA_BOOTSTRAP_SERVERS, timeout_ms=int(timeout * 1000), log_level=SILENT
        )
    )
    metadata = admin.list_topics(topic=settings.KAFKA_EVENTS_TOPIC, timeout=timeout)
    return f"{len(metadata.brokers)} broker(s)"


CHECKS: dict[str, Check] = {
    "mysql": check_mysql,
    "event_store": check_event_store,
    "kafka": check_kafka,
}


def readiness(timeout: float | None = None, checks: dict[str, Check] | None = None) -> dict:
    """`{"status": "ready"|"not_ready", "checks": {name: {"status", "detail", "seconds"}}}`."""
    timeout = settings.READINESS_TIMEOUT_SECONDS if timeout is None else timeout
    checks = CHECKS if checks is None else checks
    results: dict[str, dict[str, Any]] = {}
    lock = threading.Lock()

    def run(name: str, check: Check) -> None:
        started = time.monotonic()
        try:
            outcome: dict[str, Any] = {"status": "up", "detail": check(timeout)}
        except Exception as exc:  # noqa: BLE001  (any failure means: not usable)
            outcome = {"status": "down", "detail": f"{type(exc).__name__}: {exc}"[:300]}
        outcome["seconds"] = round(time.monotonic() - started, 3)
        with lock:
            results.setdefault(name, outcome)

    started = time.monotonic()
    threads = [
        threading.Thread(target=run, args=(name, check), daemon=True, name=f"readiness-{name}")
        for name, check in checks.items()
    ]
    for thread in threads:
        thread.start()
    deadline = started + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    with lock:
        for name in checks:
            results.setdefault(
                name,
                {
                    "status": "down",
                    "detail": f"no answer within {timeout:g}s",
                    "seconds": round(time.monotonic() - started, 3),
                },
            )
        ready = all(result["status"] == "up" for result in results.values())
        return {
            "status": "ready" if ready else "not_ready",
            "checks": {name: results[name] for name in checks},
        }


def public_view(report: dict) -> dict:
    """What anyone may see of a report: up or down, nothing of what failed or why."""
    return {"status": report["status"]}


class ReadinessProbe:
    """`readiness()` reused for `reuse_seconds` (None: READINESS_REUSE_SECONDS) per process.

    Thread-safe: one caller runs the checks, those arriving meanwhile wait for its result
    instead of starting checks of their own. The window starts when a result is obtained.
    """

    def __init__(
        self,
        reuse_seconds: float | None = None,
        checks: dict[str, Check] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._reuse_seconds = reuse_seconds
        self._checks = checks
        self._clock = clock
        self._lock = threading.Lock()
        self._report: dict | None = None
        self._obtained = 0.0

    def forget(self) -> None:
        """The next call checks again (tests that change a server between two probes)."""
        with self._lock:
            self._report = None

    def report(self) -> dict:
        reuse = (
            settings.READINESS_REUSE_SECONDS if self._reuse_seconds is None else self._reuse_seconds
        )
        with self._lock:
            if self._report is None or self._clock() - self._obtained >= reuse:
                self._report = readiness(checks=self._checks)
                self._obtained = self._clock()
                _log_failures(self._report)
            return self._report


def _log_failures(report: dict) -> None:
    # Anonymous probes see only "not_ready": the reason goes to the log, once per check round.
    for name, check in report["checks"].items():
        if check["status"] != "up":
            log.warning("readiness: %s is down: %s", name, check["detail"])


# The one probe of this process: the web views and the workers' ports answer from it.
PROBE = ReadinessProbe()
