"""Reads events straight from the event store, in the same wire contract as Kafka.

The read side uses it to fill a gap in a stream and to replay the whole store.
"""

from collections.abc import Iterator
from uuid import UUID

from apps.eventstore import wire
from apps.eventstore.records import StoredEvent
from apps.eventstore.wiring import event_store

from .messages import EventMessage, parse


def as_message(event: StoredEvent) -> EventMessage:
    # The contract's message without its JSON round trip: a replay reads every event there is.
    return parse(wire.message(event))


def read_gap(account_id: UUID, after_version: int, up_to_version: int) -> list[EventMessage]:
    events = event_store().read_stream(
        str(account_id), after_version=after_version, limit=up_to_version - after_version
    )
    return [as_message(e) for e in events]


def read_account(account_id: UUID) -> list[EventMessage]:
    return [as_message(e) for e in event_store().read_stream(str(account_id))]


def read_all(batch_size: int) -> Iterator[list[EventMessage]]:
    for batch in event_store().read_all(batch_size):
        yield [as_message(e) for e in batch]


def count() -> int:
    return event_store().count()


def account_exists(account_id: UUID) -> bool:
    return event_store().get(str(account_id), 1) is not None
