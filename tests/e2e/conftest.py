"""Runs a real consume_events worker for end-to-end tests, in a thread or as a process."""

import threading
import uuid
from collections.abc import Iterator

import pytest
from django.conf import settings

from apps.accounts_query.application.projector import Projector
from apps.accounts_query.bootstrap import event_source
from apps.accounts_query.infrastructure.account_rows import MySqlAccountRows
from apps.accounts_query.infrastructure.kafka_consumer import ConsumerSettings, EventConsumer
from apps.accounts_query.infrastructure.statement_lines import MySqlStatementLines
from apps.contract.signing import keyring
from tests.e2e.browser import browser, web_app  # noqa: F401  (fixtures of the page tests)
from tests.e2e.pkce_browser import application  # noqa: F401  (the PKCE sign-in's listener)


def make_consumer(group: str | None = None) -> EventConsumer:
    return EventConsumer(
        ConsumerSettings(
            bootstrap_servers=settings.KAFKA_BOOTSTRAP_SERVERS,
            group_id=group or f"test-{uuid.uuid4().hex[:8]}",
            topic=settings.KAFKA_EVENTS_TOPIC,
            dead_letter_topic=settings.KAFKA_DEAD_LETTER_TOPIC,
            batch_size=200,
            max_poll_interval_ms=settings.KAFKA_MAX_POLL_INTERVAL_MS,
            stuck_seconds=settings.WORKER_STUCK_SECONDS,
            authenticate=keyring(settings).check_message,
            poll_timeout=0.2,
        ),
        Projector(
            MySqlAccountRows(),
            event_source(),
            MySqlStatementLines(),
            settings.PROJECTOR_REMEMBERED_ROWS,
        ),
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
