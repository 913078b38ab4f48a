"""Test wiring: every test runs against the real servers, in databases and topics of its own.

- MySQL: pytest-django's test database (test_techbank).
- MongoDB protocol: a database named for this run, emptied before each test that asks.
- Kafka: topics and consumer groups named for this run (and per test where it matters).

Starting servers, loads and clients is the harness's (tests/harness/).
"""

import logging
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from pathlib import Path

import mongoengine
import pytest
from django.conf import settings
from rest_framework.test import APIClient
from structlog.stdlib import ProcessorFormatter

from apps.eventstore.store import ensure_indexes
from tests import wired
from tests.harness import leak_scan
from tests.harness.kafka import PrivateKafka, create_topics, delete_topics
from tests.harness.swapped_settings import Swap, connect_event_store
from tests.harness.swapped_settings import swapped_settings as swapped_settings
from tests.harness.tokens import client_for
from tests.harness.urls import with_database

RUN = uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def django_db_modify_db_settings() -> None:
    # A test database of this run's own (the grant covers test_techbank%), so that two test
    # runs on one machine never drop each other's database.
    settings.DATABASES["default"]["TEST"]["NAME"] = f"test_techbank_{RUN}"


@pytest.fixture(scope="session", autouse=True)
def recorded_log_lines() -> Iterator[None]:
    """Every line this process logs during the run, as written, and every secret it issues
    (tests/harness/leak_scan.py)."""
    from tests.log_capture import configured_formatter

    root = logging.getLogger()
    # The formatter of the console handler settings.LOGGING put there (not pytest's own
    # capturing handlers'): the very same lines.
    console = [h.formatter for h in root.handlers if isinstance(h.formatter, ProcessorFormatter)]
    recorder = leak_scan.LineRecorder(console[0] if console else configured_formatter(None))
    root.addHandler(recorder)
    with pytest.MonkeyPatch.context() as patch:
        leak_scan.watch_issuance(patch.setattr)
        yield
    root.removeHandler(recorder)


@pytest.fixture(scope="session", autouse=True)
def plain_http() -> None:
    """The tests talk plain HTTP to 127.0.0.1: an .env from before HTTPS_ONLY existed would
    make Django redirect every request to an HTTPS nobody serves."""
    if settings.SECURE_SSL_REDIRECT:
        pytest.exit(
            "SECURE_SSL_REDIRECT is on: this machine serves plain HTTP. Add HTTPS_ONLY=false "
            "to .env (`make services` does), see README 'HTTPS behind a TLS proxy'.",
            returncode=4,
        )


@pytest.fixture(scope="session", autouse=True)
def isolated_backends() -> Iterator[None]:
    settings.MONGODB_URL = with_database(settings.MONGODB_URL, f"techbank_test_{RUN}")
    settings.KAFKA_EVENTS_TOPIC = f"test.{RUN}.account-events"
    settings.KAFKA_TRANSFER_EVENTS_TOPIC = f"test.{RUN}.transfer-events"
    settings.KAFKA_USER_EVENTS_TOPIC = f"test.{RUN}.user-events"
    settings.KAFKA_DEAD_LETTER_TOPIC = f"test.{RUN}.account-events.dead-letter"
    settings.KAFKA_CONSUMER_GROUP = f"test-{RUN}"
    connect_event_store(settings.MONGODB_URL)
    # The broker creates no topic by itself; without these every publish would wait in vain.
    create_topics(
        settings.KAFKA_BOOTSTRAP_SERVERS,
        {
            settings.KAFKA_EVENTS_TOPIC: 3,
            settings.KAFKA_TRANSFER_EVENTS_TOPIC: 3,
            settings.KAFKA_USER_EVENTS_TOPIC: 3,
            settings.KAFKA_DEAD_LETTER_TOPIC: 1,
        },
    )
    wired.rewire()
    yield
    wired.get().event_store.close(timeout=5)
    client = mongoengine.get_connection()
    client.drop_database(f"techbank_test_{RUN}")
    delete_topics(settings.KAFKA_BOOTSTRAP_SERVERS, f"test.{RUN}.")


@pytest.fixture
def event_store_db() -> Iterator[None]:
    """An empty event store (its indexes in place) for the test."""
    mongoengine.get_connection().drop_database(f"techbank_test_{RUN}")
    ensure_indexes()
    yield
    assert wired.publisher().flush(10) == 0, "a published event was never acknowledged"


def new_topic(partitions: int = 3) -> str:
    """A topic of this test's own and its dead-letter topic (one partition)."""
    name = f"test.{RUN}.{uuid.uuid4().hex[:8]}"
    create_topics(settings.KAFKA_BOOTSTRAP_SERVERS, {name: partitions, f"{name}.dead-letter": 1})
    return name


@pytest.fixture
def kafka_topic(swapped_settings: Callable[..., Swap]) -> Iterator[str]:
    """A fresh account-events topic (3 partitions) and DLQ, used by this test's process and
    children meanwhile."""
    name = new_topic()
    with swapped_settings(KAFKA_EVENTS_TOPIC=name, KAFKA_DEAD_LETTER_TOPIC=f"{name}.dead-letter"):
        yield name
        wired.publisher().flush(10)


@pytest.fixture
def private_kafka(
    swapped_settings: Callable[..., Swap], tmp_path: Path
) -> Iterator[Callable[[Mapping[str, int]], PrivateKafka]]:
    """`private_kafka(topics)` starts a private broker with `topics` (name -> partitions), used
    by this process and the children it starts until the test ends; then stopped (thawed)."""
    with ExitStack() as stack:

        def start(topics: Mapping[str, int]) -> PrivateKafka:
            kafka = stack.enter_context(PrivateKafka(tmp_path / "kafka"))
            create_topics(kafka.bootstrap, topics)
            stack.enter_context(swapped_settings(KAFKA_BOOTSTRAP_SERVERS=kafka.bootstrap))
            return kafka

        yield start


@pytest.fixture
def teller(db: None, event_store_db: None) -> APIClient:
    return client_for("teller")


@pytest.fixture
def auditor(db: None, event_store_db: None) -> APIClient:
    return client_for("auditor")
