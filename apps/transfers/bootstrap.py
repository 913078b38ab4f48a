"""The transfers' composition roots: the request service the web process serves, and the
`run_transfers` process (the manager's consumer, the deadline ticker, the transfers
projection). Each is built from the event store's parts and settings, once per process."""

from __future__ import annotations

import threading
from uuid import UUID

from django.conf import settings

from apps.accounts_command import bootstrap as command_side
from apps.accounts_command.bootstrap import utc_now
from apps.contract.account_events import AGGREGATE_TYPE as ACCOUNT
from apps.contract.routes import topic_partitions
from apps.contract.signing import keyring
from apps.eventstore.bootstrap import EventStoreParts
from apps.eventstore.topics import ensure_topics
from apps.messaging.consumer import ConsumerSettings
from apps.store_parts import store_parts
from kernel.mediator import Dispatcher
from kernel.request_context import system_actor

from .application.ports import Clock
from .application.process_manager import ProcessManager
from .application.requests import TransferRequests
from .infrastructure.deadline_ticker import DeadlineTicker
from .infrastructure.deadlines import MongoDeadlines
from .infrastructure.manager_consumer import ManagerConsumer
from .infrastructure.transfer_projection import TransferProjection, TransferRowsConsumer
from .infrastructure.transfer_repository import EventSourcedTransferRepository
from .infrastructure.transfers_process import TransfersProcess


def requests(parts: EventStoreParts, clock: Clock = utc_now) -> TransferRequests:
    def account_exists(account_id: UUID) -> bool:
        # Only an account's stream is an account: a transfer's id is not one.
        return parts.reader.aggregate_type(str(account_id)) == ACCOUNT

    repository = EventSourcedTransferRepository(parts.store, parts.recorder.record)
    return TransferRequests(
        repository, MongoDeadlines(), account_exists, clock, settings.TRANSFER_TIMEOUT_SECONDS
    )


def process_manager(
    parts: EventStoreParts,
    accounts: Dispatcher,
    clock: Clock = utc_now,
    actor: str = system_actor("run_transfers"),
) -> ProcessManager:
    """run_transfers' (and `load_demo`'s, with its clock and its name as the actor)."""
    repository = EventSourcedTransferRepository(
        parts.store, parts.recorder.record, cache_size=settings.AGGREGATE_CACHE_SIZE
    )
    return ProcessManager(repository, accounts, MongoDeadlines(), clock, actor=actor)


def consumer_settings(group: str, batch_size: int, poll_timeout: float = 1.0) -> ConsumerSettings:
    return ConsumerSettings(
        bootstrap_servers=settings.KAFKA_BOOTSTRAP_SERVERS,
        group_id=group,
        topic=settings.KAFKA_TRANSFER_EVENTS_TOPIC,
        dead_letter_topic=settings.KAFKA_DEAD_LETTER_TOPIC,
        batch_size=batch_size,
        max_poll_interval_ms=settings.KAFKA_MAX_POLL_INTERVAL_MS,
        stuck_seconds=settings.WORKER_STUCK_SECONDS,
        authenticate=keyring(settings).check_message,
        poll_timeout=poll_timeout,
        max_attempts=settings.TRANSFER_MAX_ATTEMPTS,
    )


def transfers_process(
    group: str | None = None,
    rows_group: str | None = None,
    batch_size: int = 200,
    poll_timeout: float = 1.0,
) -> TransfersProcess:
    ensure_topics(settings.KAFKA_BOOTSTRAP_SERVERS, topic_partitions(settings))
    parts = store_parts()
    accounts = command_side.bootstrap(parts, command_side.CommandSettings.from_django())
    manager = process_manager(parts, accounts)
    manager_consumer = ManagerConsumer(
        consumer_settings(group or settings.TRANSFERS_CONSUMER_GROUP, batch_size, poll_timeout),
        manager,
        threads=settings.TRANSFERS_THREADS,
    )
    ticker = DeadlineTicker(
        manager,
        lambda: manager_consumer.assignment,
        settings.TRANSFER_DEADLINE_POLL_SECONDS,
        threading.Event(),
    )
    rows = TransferRowsConsumer(
        consumer_settings(
            rows_group or settings.TRANSFERS_PROJECTION_GROUP, batch_size, poll_timeout
        ),
        TransferProjection(parts.reader.stream),
    )
    return TransfersProcess(manager_consumer, ticker, rows)
