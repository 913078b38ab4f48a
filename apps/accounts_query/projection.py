"""How an event changes an account's read model: a pure fold, shared by live and replay."""

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from .messages import EventMessage


class InapplicableEvent(Exception):
    """The event does not fit the account's projected history."""


@dataclass(frozen=True)
class AccountRow:
    id: UUID
    holder: str
    account_type: str
    balance: Decimal
    status: str
    opened_at: datetime
    closed_at: datetime | None
    version: int
    updated_at: datetime


def apply(row: AccountRow | None, event: EventMessage) -> AccountRow:
    expected = (row.version if row else 0) + 1
    if event.version != expected:
        raise InapplicableEvent(f"version {event.version} where {expected} was due")
    if event.event_type == "AccountOpened":
        if row is not None:
            raise InapplicableEvent("account opened twice")
        return AccountRow(
            id=event.aggregate_id,
            holder=event.data["holder"],
            account_type=event.data["account_type"],
            balance=Decimal(event.data["opening_balance"]),
            status="OPEN",
            opened_at=event.timestamp,
            closed_at=None,
            version=event.version,
            updated_at=event.timestamp,
        )
    if row is None:
        raise InapplicableEvent(f"{event.event_type} before AccountOpened")
    if event.event_type in ("FundsDeposited", "FundsWithdrawn"):
        changes = {"balance": Decimal(event.data["balance"])}
    elif event.event_type == "AccountClosed":
        changes = {"status": "CLOSED", "closed_at": event.timestamp}
    else:
        raise InapplicableEvent(f"unknown event type {event.event_type}")
    return replace(row, **changes, version=event.version, updated_at=event.timestamp)
