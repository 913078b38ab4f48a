"""The statement read model's mapping: which events are money movements, and their lines.

Pure, and shared by live consumption and replay, so both write the same entries.
"""

from datetime import datetime
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID

from .event_message import EventMessage


class EntryType(NamedTuple):
    """How one event type shows on a statement: its type and where its money is."""

    type: str
    amount_field: str
    balance_field: str


# Event type -> its statement entry. Names as strings, not the contract's constants: events
# listed here may reach the contract later, and an event type not listed makes no entry.
ENTRY_TYPES: dict[str, EntryType] = {
    "AccountOpened": EntryType("OPENING", "opening_balance", "opening_balance"),
    "FundsDeposited": EntryType("DEPOSIT", "amount", "balance"),
    "FundsWithdrawn": EntryType("WITHDRAWAL", "amount", "balance"),
    "FundsTransferredOut": EntryType("TRANSFER_OUT", "amount", "balance"),
    "FundsTransferredIn": EntryType("TRANSFER_IN", "amount", "balance"),
    "TransferRefunded": EntryType("TRANSFER_IN", "amount", "balance"),
}
TYPES = tuple(sorted({t.type for t in ENTRY_TYPES.values()}))


class StatementEntry(NamedTuple):
    # A NamedTuple for the same reason as EventMessage: one per event applied.
    account_id: UUID
    version: int
    type: str
    amount: Decimal
    balance_after: Decimal
    timestamp: datetime
    transfer_id: str | None


def statement_entry(event: EventMessage) -> StatementEntry | None:
    """The entry `event` adds to its account's statement, or None if it moves no money."""
    movement = ENTRY_TYPES.get(event.event_type)
    if movement is None:
        return None
    data = event.data
    transfer_id = data.get("transfer_id")
    # Positional: one is built per money event on the projection's hot path.
    return StatementEntry(
        event.aggregate_id,
        event.version,
        movement.type,
        Decimal(data[movement.amount_field]),
        Decimal(data[movement.balance_field]),
        event.timestamp,
        None if transfer_id is None else str(transfer_id),
    )
