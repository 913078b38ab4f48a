"""Child processes (workers, web servers) that use this test run's databases and topics."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def child_env() -> dict[str, str]:
    """Environment for a `manage.py` child that uses this test run's databases and topics."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": f"mysql://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/"
        f"{db['NAME']}",
        "MONGODB_URL": settings.MONGODB_URL,
        "KAFKA_BOOTSTRAP_SERVERS": settings.KAFKA_BOOTSTRAP_SERVERS,
        "KAFKA_EVENTS_TOPIC": settings.KAFKA_EVENTS_TOPIC,
        "KAFKA_TRANSFER_EVENTS_TOPIC": settings.KAFKA_TRANSFER_EVENTS_TOPIC,
        "KAFKA_DEAD_LETTER_TOPIC": settings.KAFKA_DEAD_LETTER_TOPIC,
        "RELAY_INTERVAL_SECONDS": "0.5",
        "RELAY_GRACE_SECONDS": "0",
        "PYTHONUNBUFFERED": "1",
        # Several workers may run at once: each binds its health port to a free one.
        "WORKER_HTTP_PORT": "0",
        "TRANSFERS_HEALTH_PORT": "0",
    }


def start_worker(
    group: str, *args: str, log: Path, env: dict[str, str] | None = None
) -> subprocess.Popen:
    """`env`: variables that differ from `child_env()` (e.g. another Kafka's bootstrap)."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "consume_events", "--group", group, *args],
        cwd=ROOT,
        env={**child_env(), **(env or {})},
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
