"""The read side's composition roots: the worker (`consume_events`) and the replay
(`replay_events`) processes, and the query dispatcher the web process serves.

Each builds its process's objects from settings, once, and passes them down; nothing below
reads settings. The event store's parts come from apps/store_parts.py, each built when this
process first asks for it; this is the one place where the read side reaches past the store's
public read interface (.importlinter allows it here only).
"""

from __future__ import annotations

from django.conf import settings

from apps.contract.signing import keyring
from apps.eventstore.bootstrap import EventStoreParts
from apps.eventstore.topics import ensure_topics
from apps.store_parts import store_parts
from kernel.mediator import Dispatcher

from .application.projector import Projector
from .application.queries import query_dispatcher
from .application.replay import Replay
from .infrastructure.account_rows import MySqlAccountRows
from .infrastructure.event_source import StoreEventSource
from .infrastructure.kafka_consumer import ConsumerSettings, EventConsumer
from .infrastructure.statement_lines import MySqlStatementLines
from .infrastructure.worker import Worker

__all__ = ["event_source", "queries", "replay", "worker"]


def event_source(parts: EventStoreParts | None = None) -> StoreEventSource:
    # The replay asks its parts for the reader only: it builds no outbox and no publisher.
    return StoreEventSource((parts or store_parts()).reader)


def queries() -> Dispatcher:
    return query_dispatcher()


def worker(
    group: str | None = None,
    topic: str | None = None,
    batch_size: int | None = None,
    relay: bool = True,
    poll_timeout: float = 1.0,
) -> Worker:
    topic = topic or settings.KAFKA_EVENTS_TOPIC
    ensure_topics(
        settings.KAFKA_BOOTSTRAP_SERVERS,
        {topic: settings.KAFKA_EVENTS_PARTITIONS, settings.KAFKA_DEAD_LETTER_TOPIC: 1},
    )
    # The worker's relay re-publishes every aggregate's events, each to its own topic.
    parts = store_parts()
    projector = Projector(
        MySqlAccountRows(),
        event_source(parts),
        MySqlStatementLines(),
        remembered_rows=settings.PROJECTOR_REMEMBERED_ROWS,
    )
    consumer = EventConsumer(
        ConsumerSettings(
            bootstrap_servers=settings.KAFKA_BOOTSTRAP_SERVERS,
            group_id=group or settings.KAFKA_CONSUMER_GROUP,
            topic=topic,
            dead_letter_topic=settings.KAFKA_DEAD_LETTER_TOPIC,
            batch_size=batch_size or settings.CONSUMER_BATCH_SIZE,
            poll_timeout=poll_timeout,
            max_poll_interval_ms=settings.KAFKA_MAX_POLL_INTERVAL_MS,
            stuck_seconds=settings.WORKER_STUCK_SECONDS,
            authenticate=keyring(settings).check_message,
        ),
        projector,
    )
    return Worker(
        consumer,
        parts.relay() if relay else None,
        settings.RELAY_INTERVAL_SECONDS,
        housekeeping=parts.idempotency.forget_expired,
    )


def replay(batch_size: int | None = None) -> Replay:
    return Replay(
        MySqlAccountRows(),
        event_source(),
        MySqlStatementLines(),
        batch_size=batch_size or settings.REPLAY_BATCH_SIZE,
        write_every=settings.REPLAY_WRITE_EVERY,
    )
