"""Well-formed account histories, built without running commands (for big backlogs)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from apps.eventstore.records import StoredEvent

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def stream(account_id: str, length: int, start: datetime = T0) -> list[StoredEvent]:
    """AccountOpened, then deposits of 10.00 and withdrawals of 5.00 in turn: versions 1..n."""
    events = []
    balance = Decimal("100.00")
    for version in range(1, length + 1):
        moment = start + timedelta(milliseconds=version)
        if version == 1:
            event_type, schema = "AccountOpened", 2
            data = {
                "holder": f"Holder {account_id[:8]}",
                "account_type": "SAVINGS",
                "opening_balance": str(balance),
            }
        else:
            deposit = version % 2 == 0
            amount = Decimal("10.00") if deposit else Decimal("5.00")
            balance = balance + amount if deposit else balance - amount
            event_type, schema = ("FundsDeposited" if deposit else "FundsWithdrawn"), 1
            data = {"amount": str(amount), "balance": str(balance)}
        events.append(
            StoredEvent(
                event_id=str(uuid.uuid4()),
                aggregate_id=account_id,
                aggregate_type="BankAccount",
                version=version,
                event_type=event_type,
                schema_version=schema,
                data=data,
                timestamp=moment,
            )
        )
    return events


def snapshot_state(last: StoredEvent, first: StoredEvent) -> dict[str, object]:
    balance = last.data.get("balance", first.data["opening_balance"])
    return {
        "holder": first.data["holder"],
        "account_type": "SAVINGS",
        "balance": balance,
        "closed": False,
    }


def interleave(streams: Sequence[list[StoredEvent]]) -> Iterator[StoredEvent]:
    """Version 1 of every stream, then version 2 of every stream, ...: a valid append order."""
    longest = max((len(s) for s in streams), default=0)
    for index in range(longest):
        for events in streams:
            if index < len(events):
                yield events[index]


def new_ids(count: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(count)]
