"""Runs a real consume_events worker for end-to-end tests, in a thread or as a process."""

import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from apps.accounts_query.consumer import ConsumerSettings, EventConsumer
from apps.accounts_query.event_source import read_gap
from apps.accounts_query.projector import Projector

ROOT = Path(__file__).resolve().parents[2]


def make_consumer(group: str | None = None) -> EventConsumer:
    return EventConsumer(
        ConsumerSettings(
            bootstrap_servers=settings.KAFKA_BOOTSTRAP_SERVERS,
            group_id=group or f"test-{uuid.uuid4().hex[:8]}",
            topic=settings.KAFKA_EVENTS_TOPIC,
            dead_letter_topic=settings.KAFKA_DEAD_LETTER_TOPIC,
            batch_size=200,
            poll_timeout=0.2,
        ),
        Projector(read_gap),
    )


@pytest.fixture
def consumer_thread(transactional_db, kafka_topic) -> Iterator[EventConsumer]:
    consumer = make_consumer()
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    yield consumer
    consumer.stop.set()
    thread.join(30)
    assert not thread.is_alive(), "the consumer did not stop after its batch"


def worker_env() -> dict[str, str]:
    """Environment for a `manage.py` child that uses this test run's databases and topics."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": f"mysql://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/"
        f"{db['NAME']}",
        "MONGODB_URL": settings.MONGODB_URL,
        "KAFKA_BOOTSTRAP_SERVERS": settings.KAFKA_BOOTSTRAP_SERVERS,
        "KAFKA_EVENTS_TOPIC": settings.KAFKA_EVENTS_TOPIC,
        "KAFKA_DEAD_LETTER_TOPIC": settings.KAFKA_DEAD_LETTER_TOPIC,
        "RELAY_INTERVAL_SECONDS": "0.5",
        "RELAY_GRACE_SECONDS": "0",
        "PYTHONUNBUFFERED": "1",
    }


def start_worker(group: str, *args: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "consume_events", "--group", group, *args],
        cwd=ROOT, env=worker_env(), stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )
