"""Translates the domain's events to the store's records and back (the stored schema)."""

from decimal import Decimal
from typing import Any
from uuid import UUID

from apps.eventstore.records import StoredEvent
from techbank import request_context

from ..domain.events import (
    AccountClosed,
    AccountOpened,
    DomainEvent,
    FundsDeposited,
    FundsWithdrawn,
)

AGGREGATE_TYPE = "BankAccount"

# Schema versions as written today; upcasters.py lifts older shapes to these.
SCHEMA_VERSIONS: dict[type[DomainEvent], int] = {
    AccountOpened: 2,
    FundsDeposited: 1,
    FundsWithdrawn: 1,
    AccountClosed: 1,
}
EVENT_TYPES: dict[str, type[DomainEvent]] = {cls.__name__: cls for cls in SCHEMA_VERSIONS}
BASE_FIELDS = ("event_id", "aggregate_id", "version", "timestamp")


def to_stored(event: DomainEvent) -> StoredEvent:
    data = {
        name: str(value) if isinstance(value, Decimal) else value
        for name, value in vars(event).items()
        if name not in BASE_FIELDS
    }
    return StoredEvent(
        event_id=str(event.event_id),
        aggregate_id=str(event.aggregate_id),
        aggregate_type=AGGREGATE_TYPE,
        version=event.version,
        event_type=type(event).__name__,
        schema_version=SCHEMA_VERSIONS[type(event)],
        data=data,
        timestamp=event.timestamp,
        # The request that produced the event, so that it can be followed to the read side.
        metadata=request_context.event_metadata(),
    )


def from_stored(stored: StoredEvent) -> DomainEvent:
    cls = EVENT_TYPES[stored.event_type]
    data: dict[str, Any] = dict(stored.data)
    for money in ("opening_balance", "amount", "balance"):
        if money in data:
            data[money] = Decimal(data[money])
    return cls(
        event_id=UUID(stored.event_id),
        aggregate_id=UUID(stored.aggregate_id),
        version=stored.version,
        timestamp=stored.timestamp,
        **data,
    )
