"""The transfers' read model row, and how one transfer event changes it.

Plain Python: the projection (infrastructure/transfer_projection.py) folds each transfer's
events into its row with this, version by version, the same way the stream folds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from apps.contract import transfer_events as contract

from .transfer_message import TransferMessage

PENDING, COMPLETED, FAILED = "PENDING", "COMPLETED", "FAILED"
FINAL_STATUS = {contract.TRANSFER_COMPLETED.name: COMPLETED, contract.TRANSFER_FAILED.name: FAILED}


class InapplicableTransferEvent(Exception):
    """The event cannot follow the row (no request first, or after the transfer ended)."""


@dataclass(frozen=True)
class TransferRow:
    id: UUID
    from_account: UUID
    to_account: UUID
    amount: Decimal
    status: str
    reason: str
    created_at: datetime
    completed_at: datetime | None
    deadline: datetime | None
    version: int


def apply(row: TransferRow | None, event: TransferMessage) -> TransferRow:
    """The row after `event`, which must be the next version of its stream."""
    expected = 1 if row is None else row.version + 1
    if event.version != expected:
        raise InapplicableTransferEvent(f"version {event.version} does not follow {expected - 1}")
    if row is None:
        if event.event_type != contract.TRANSFER_REQUESTED.name:
            raise InapplicableTransferEvent(f"{event.event_type} before TransferRequested")
        timeout = event.data.get("timeout_seconds")
        return TransferRow(
            id=event.transfer_id,
            from_account=UUID(event.data["from_account"]),
            to_account=UUID(event.data["to_account"]),
            amount=Decimal(event.data["amount"]),
            status=PENDING,
            reason="",
            created_at=event.timestamp,
            completed_at=None,
            # Schema 1 (before deadlines) carries no timeout: such a row shows none.
            deadline=event.timestamp + timedelta(seconds=timeout) if timeout else None,
            version=event.version,
        )
    if row.status != PENDING or event.event_type == contract.TRANSFER_REQUESTED.name:
        raise InapplicableTransferEvent(f"{event.event_type} on a {row.status} transfer")
    status = FINAL_STATUS.get(event.event_type, PENDING)
    return replace(
        row,
        status=status,
        # A refused credit's code stays the reason while the transfer compensates.
        reason=event.data.get("reason", row.reason),
        completed_at=event.timestamp if status != PENDING else None,
        version=event.version,
    )
