"""Events to append in the event store's tests, and each store the contract runs against."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from apps.contract.routes import upcasters
from apps.eventstore.interface import ApplicationRecorder
from apps.eventstore.memory import InMemoryEventStore
from apps.eventstore.records import StoredEvent
from apps.eventstore.store import MongoEventStore
from apps.eventstore.upcasting import UpcasterChain

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def make_event(
    aggregate_id: str,
    version: int,
    event_type: str = "FundsDeposited",
    data: dict[str, Any] | None = None,
) -> StoredEvent:
    return StoredEvent(
        event_id=str(uuid.uuid4()),
        aggregate_id=aggregate_id,
        aggregate_type="BankAccount",
        version=version,
        event_type=event_type,
        schema_version=1,
        data=data if data is not None else {"amount": f"{version}.00", "balance": "0.00"},
        timestamp=T0 + timedelta(seconds=version),
    )


def new_id() -> str:
    return str(uuid.uuid4())


def fill(store: ApplicationRecorder, aggregate_id: str, count: int) -> list[StoredEvent]:
    appended = [make_event(aggregate_id, v) for v in range(1, count + 1)]
    for event in appended:
        store.append(event)
    return appended


def account_stream(account: str, length: int) -> list[StoredEvent]:
    """An account opened, then deposits: versions 1 to `length`."""
    opened = StoredEvent(
        event_id=str(uuid.uuid4()),
        aggregate_id=account,
        aggregate_type="BankAccount",
        version=1,
        event_type="AccountOpened",
        schema_version=2,
        data={"holder": "Ada", "account_type": "CURRENT", "opening_balance": "10.00"},
        timestamp=T0,
    )
    deposits = [
        StoredEvent(
            event_id=str(uuid.uuid4()),
            aggregate_id=account,
            aggregate_type="BankAccount",
            version=version,
            event_type="FundsDeposited",
            schema_version=1,
            data={"amount": "1.00", "balance": f"{9 + version}.00"},
            timestamp=T0 + timedelta(seconds=version),
        )
        for version in range(2, length + 1)
    ]
    return [opened, *deposits]


def make_store(kind: str) -> ApplicationRecorder:
    """The store on FerretDB ("ferretdb", its database emptied by the event_store_db fixture;
    "ferretdb-ranges": reading a stream's range in one query, as on MongoDB) or in memory
    ("memory"), each with every aggregate's upcasters, as the processes build it."""
    if kind == "memory":
        return InMemoryEventStore(UpcasterChain(upcasters()))
    return MongoEventStore(UpcasterChain(upcasters()), range_reads=kind == "ferretdb-ranges")
