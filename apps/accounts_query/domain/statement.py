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
    transfer_id = event.data.get("transfer_id")
    return StatementEntry(
        account_id=event.aggregate_id,
        version=event.version,
        type=movement.type,
        amount=Decimal(event.data[movement.amount_field]),
        balance_after=Decimal(event.data[movement.balance_field]),
        timestamp=event.timestamp,
        transfer_id=None if transfer_id is None else str(transfer_id),
    )
