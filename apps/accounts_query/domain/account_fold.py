"""The account read model's fold: how each event changes an account's row.

Pure, and shared by live consumption and replay, so both always agree.
"""

from datetime import datetime
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID

from apps.contract.account_events import (
    ACCOUNT_CLOSED,
    ACCOUNT_OPENED,
    BALANCE_EVENTS,
    BOOKKEEPING_EVENTS,
)

from .event_message import EventMessage


class InapplicableEvent(Exception):
    """The event does not fit the account's projected history."""


class AccountRow(NamedTuple):
    # A NamedTuple for the same reason as EventMessage: one per event applied.
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
    if event.event_type == ACCOUNT_OPENED.name:
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
    balance, status, closed_at = row.balance, row.status, row.closed_at
    if event.event_type in BALANCE_EVENTS:
        balance = Decimal(event.data["balance"])
    elif event.event_type == ACCOUNT_CLOSED.name:
        status, closed_at = "CLOSED", event.timestamp
    elif event.event_type not in BOOKKEEPING_EVENTS:
        raise InapplicableEvent(f"unknown event type {event.event_type}")
    # Positional (id, holder, account_type, balance, status, opened_at, closed_at, version,
    # updated_at): one row is built per event applied.
    return AccountRow(
        row.id,
        row.holder,
        row.account_type,
        balance,
        status,
        row.opened_at,
        closed_at,
        event.version,
        event.timestamp,
    )
