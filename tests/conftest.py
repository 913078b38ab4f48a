"""Test wiring: every test runs against the real servers, in databases and topics of its own.

- MySQL: pytest-django's test database (test_techbank).
- MongoDB protocol: a database named for this run, emptied before each test that asks.
- Kafka: topics and consumer groups named for this run (and per test where it matters).
"""

import uuid
from collections.abc import Iterator
from io import StringIO
from urllib.parse import urlsplit, urlunsplit

import mongoengine
import pytest
from confluent_kafka.admin import AdminClient, NewTopic
from django.conf import settings
from django.core.management import call_command
from rest_framework.test import APIClient

from apps.eventstore.store import ensure_indexes
from kernel import roles
from tests import wired

RUN = uuid.uuid4().hex[:8]


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def create_topics(*topics: NewTopic) -> None:
    admin = AdminClient({"bootstrap.servers": settings.KAFKA_BOOTSTRAP_SERVERS})
    for future in admin.create_topics(list(topics)).values():
        future.result(30)


@pytest.fixture(scope="session")
def django_db_modify_db_settings() -> None:
    # A test database of this run's own (the grant covers test_techbank%), so that two test
    # runs on one machine never drop each other's database.
    settings.DATABASES["default"]["TEST"]["NAME"] = f"test_techbank_{RUN}"


@pytest.fixture(scope="session", autouse=True)
def isolated_backends() -> Iterator[None]:
    settings.MONGODB_URL = _with_database(settings.MONGODB_URL, f"techbank_test_{RUN}")
    settings.KAFKA_EVENTS_TOPIC = f"test.{RUN}.account-events"
    settings.KAFKA_TRANSFER_EVENTS_TOPIC = f"test.{RUN}.transfer-events"
    settings.KAFKA_DEAD_LETTER_TOPIC = f"test.{RUN}.account-events.dead-letter"
    settings.KAFKA_CONSUMER_GROUP = f"test-{RUN}"
    mongoengine.disconnect()
    mongoengine.connect(
        host=settings.MONGODB_URL,
        tz_aware=True,
        connect=False,
        uuidRepresentation="standard",
        serverSelectionTimeoutMS=5000,
    )
    # The broker creates no topic by itself; without these every publish would wait in vain.
    create_topics(
        NewTopic(settings.KAFKA_EVENTS_TOPIC, 3, 1),
        NewTopic(settings.KAFKA_TRANSFER_EVENTS_TOPIC, 3, 1),
        NewTopic(settings.KAFKA_DEAD_LETTER_TOPIC, 1, 1),
    )
    wired.rewire()
    yield
    wired.get().event_store.close(timeout=5)
    client = mongoengine.get_connection()
    client.drop_database(f"techbank_test_{RUN}")
    admin = AdminClient({"bootstrap.servers": settings.KAFKA_BOOTSTRAP_SERVERS})
    mine = [t for t in admin.list_topics(timeout=10).topics if t.startswith(f"test.{RUN}.")]
    if mine:
        for future in admin.delete_topics(mine).values():
            future.result()


@pytest.fixture
def event_store_db() -> Iterator[None]:
    """An empty event store (its indexes in place) for the test."""
    mongoengine.get_connection().drop_database(f"techbank_test_{RUN}")
    ensure_indexes()
    yield
    assert wired.publisher().flush(10) == 0, "a published event was never acknowledged"


@pytest.fixture
def kafka_topic() -> Iterator[str]:
    """A fresh account-events topic (3 partitions) and DLQ for this test only."""
    name = f"test.{RUN}.{uuid.uuid4().hex[:8]}"
    create_topics(NewTopic(name, 3, 1), NewTopic(f"{name}.dead-letter", 1, 1))
    # The settings name the topic for the workers (threads and child processes) of this test.
    old = settings.KAFKA_EVENTS_TOPIC, settings.KAFKA_DEAD_LETTER_TOPIC
    settings.KAFKA_EVENTS_TOPIC, settings.KAFKA_DEAD_LETTER_TOPIC = name, f"{name}.dead-letter"
    wired.rewire(events_topic=name)
    yield name
    wired.publisher().flush(10)
    settings.KAFKA_EVENTS_TOPIC, settings.KAFKA_DEAD_LETTER_TOPIC = old
    wired.rewire()


def _ensure_roles() -> None:
    """Transactional tests empty every table; put back the groups the migrations made."""
    from django.apps import apps

    for app in ("accounts_command", "accounts_query"):
        roles.grant(apps, app)


def _client_for(role: str, name: str) -> APIClient:
    _ensure_roles()
    out = StringIO()
    call_command("create_api_client", name, role=role, stdout=out)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().split()[-1]}")
    return client


@pytest.fixture
def teller(db: None, event_store_db: None) -> APIClient:
    return _client_for("teller", "teller")


@pytest.fixture
def auditor(db: None, event_store_db: None) -> APIClient:
    return _client_for("auditor", "auditor")
