"""The Transfer aggregate: one transfer's progress, changed only by applying its own events.

Plain Python. The process manager asks it what comes next (`stage`) and records each step here
once: two recorders of the same step race for the same stream version and one loses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4


class Stage(StrEnum):
    NEW = "NEW"
    REQUESTED = "REQUESTED"  # next: debit the source
    DEBITED = "DEBITED"  # next: credit the target
    CREDITED = "CREDITED"  # next: complete
    COMPENSATING = "COMPENSATING"  # the credit was refused; next: refund the source
    COMPENSATED = "COMPENSATED"  # next: fail
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


# Event type -> the stage it leads to.
NEXT_STAGE = {
    "TransferRequested": Stage.REQUESTED,
    "TransferDebited": Stage.DEBITED,
    "TransferCredited": Stage.CREDITED,
    "TransferCompleted": Stage.COMPLETED,
    "TransferCreditRefused": Stage.COMPENSATING,
    "TransferCompensated": Stage.COMPENSATED,
    "TransferFailed": Stage.FAILED,
}
FINAL = frozenset({Stage.COMPLETED, Stage.FAILED})


@dataclass(frozen=True)
class TransferEvent:
    event_id: UUID
    transfer_id: UUID
    version: int
    event_type: str
    timestamp: datetime
    data: dict[str, Any] = field(default_factory=dict)


class Transfer:
    def __init__(self, transfer_id: UUID) -> None:
        self.id = transfer_id
        self.version = 0
        self.stage = Stage.NEW
        self.from_account: UUID | None = None
        self.to_account: UUID | None = None
        self.amount = Decimal("0.00")
        self.reason = ""
        self.created_at: datetime | None = None
        self.completed_at: datetime | None = None
        self._pending: list[TransferEvent] = []

    @classmethod
    def rebuild(cls, transfer_id: UUID, events: Iterable[TransferEvent]) -> Transfer:
        transfer = cls(transfer_id)
        for event in events:
            transfer.apply(event)
        return transfer

    @classmethod
    def request(
        cls, transfer_id: UUID, source: UUID, target: UUID, amount: Decimal, now: datetime
    ) -> Transfer:
        transfer = cls(transfer_id)
        data = {"from_account": str(source), "to_account": str(target), "amount": str(amount)}
        transfer._record("TransferRequested", now, data)
        return transfer

    @property
    def status(self) -> str:
        return self.stage.value if self.stage in FINAL else "PENDING"

    @property
    def final(self) -> bool:
        return self.stage in FINAL

    def step(self, event_type: str, now: datetime, reason: str = "") -> None:
        """Records the step `event_type`; `reason` (a domain code) for a refusal or a failure."""
        self._record(event_type, now, {"reason": reason} if reason else {})

    def pull_pending_events(self) -> list[TransferEvent]:
        pending, self._pending = self._pending, []
        return pending

    def _record(self, event_type: str, now: datetime, data: dict[str, Any]) -> None:
        event = TransferEvent(uuid4(), self.id, self.version + 1, event_type, now, data)
        self.apply(event)
        self._pending.append(event)

    def apply(self, event: TransferEvent) -> None:
        if event.version != self.version + 1:
            raise ValueError(f"Event version {event.version} does not follow {self.version}")
        if self.final:
            raise ValueError(f"Transfer {self.id} is already {self.stage}")
        if event.event_type == "TransferRequested":
            self.from_account = UUID(event.data["from_account"])
            self.to_account = UUID(event.data["to_account"])
            self.amount = Decimal(event.data["amount"])
            self.created_at = event.timestamp
        self.reason = event.data.get("reason", self.reason)
        self.stage = NEXT_STAGE[event.event_type]
        if self.final:
            self.completed_at = event.timestamp
        self.version = event.version
