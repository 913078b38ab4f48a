"""Translates the domain's events to the store's records and back.

Names, schema versions and money fields come from the event contract
(apps/contract/account_events.py); a unit test checks the domain's events match it.
"""

from decimal import Decimal
from typing import Any
from uuid import UUID

from apps.contract.account_events import AGGREGATE_TYPE, EVENTS, MONEY_FIELDS
from apps.eventstore.records import StoredEvent

from ..domain.events import (
    AccountClosed,
    AccountOpened,
    DomainEvent,
    FundsDeposited,
    FundsTransferredIn,
    FundsTransferredOut,
    FundsWithdrawn,
    TransferExpired,
    TransferRefunded,
    TransferSettled,
)

EVENT_CLASSES: dict[str, type[DomainEvent]] = {
    cls.__name__: cls
    for cls in (
        AccountOpened,
        FundsDeposited,
        FundsWithdrawn,
        AccountClosed,
        FundsTransferredOut,
        FundsTransferredIn,
        TransferRefunded,
        TransferSettled,
        TransferExpired,
    )
}
ID_FIELDS = frozenset({"transfer_id"})
BASE_FIELDS = ("event_id", "aggregate_id", "version", "timestamp")


def to_stored(event: DomainEvent, metadata: dict[str, str] | None = None) -> StoredEvent:
    data = {
        name: str(value) if isinstance(value, (Decimal, UUID)) else value
        for name, value in vars(event).items()
        if name not in BASE_FIELDS
    }
    name = type(event).__name__
    return StoredEvent(
        event_id=str(event.event_id),
        aggregate_id=str(event.aggregate_id),
        aggregate_type=AGGREGATE_TYPE,
        version=event.version,
        event_type=name,
        schema_version=EVENTS[name].schema_version,
        data=data,
        timestamp=event.timestamp,
        metadata=metadata or {},
    )


def from_stored(stored: StoredEvent) -> DomainEvent:
    cls = EVENT_CLASSES[stored.event_type]
    data: dict[str, Any] = dict(stored.data)
    for money in MONEY_FIELDS & data.keys():
        data[money] = Decimal(data[money])
    for name in ID_FIELDS & data.keys():
        data[name] = UUID(data[name])
    return cls(
        event_id=UUID(stored.event_id),
        aggregate_id=UUID(stored.aggregate_id),
        version=stored.version,
        timestamp=stored.timestamp,
        **data,
    )
