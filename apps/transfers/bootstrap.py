"""The transfers' composition roots: the request service the web process serves, and the
process manager `run_transfers` runs. Each is built from the event store's parts and the
write side's command dispatcher of its process."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings

from apps.accounts_command import bootstrap as command_side
from apps.accounts_command.bootstrap import utc_now
from apps.contract.account_events import UPCASTERS
from apps.eventstore import bootstrap as event_store
from apps.eventstore.bootstrap import EventStoreParts
from techbank.mediator import Dispatcher

from .application.process_manager import ProcessManager
from .application.requests import TransferRequests
from .infrastructure.transfer_consumer import TransferConsumer, TransferConsumerSettings
from .infrastructure.transfer_repository import EventSourcedTransferRepository
from .infrastructure.transfer_rows import MySqlTransferRows


def requests(parts: EventStoreParts) -> TransferRequests:
    def account_exists(account_id: UUID) -> bool:
        return parts.reader.exists(str(account_id))

    repository = EventSourcedTransferRepository(parts.store, parts.recorder.record)
    return TransferRequests(repository, MySqlTransferRows(), account_exists, utc_now)


def process_manager(parts: EventStoreParts, accounts: Dispatcher) -> ProcessManager:
    repository = EventSourcedTransferRepository(parts.store, parts.recorder.record)
    return ProcessManager(repository, MySqlTransferRows(), accounts, utc_now)


def consumer(
    group: str | None = None, batch_size: int = 200, threads: int | None = None
) -> TransferConsumer:
    parts = event_store.build(event_store.EventStoreSettings.from_django(), UPCASTERS)
    accounts = command_side.bootstrap(parts, command_side.CommandSettings.from_django())
    return TransferConsumer(
        TransferConsumerSettings(
            bootstrap_servers=settings.KAFKA_BOOTSTRAP_SERVERS,
            group_id=group or settings.TRANSFERS_CONSUMER_GROUP,
            topic=settings.KAFKA_EVENTS_TOPIC,
            batch_size=batch_size,
            threads=threads or settings.TRANSFERS_THREADS,
        ),
        process_manager(parts, accounts),
    )
