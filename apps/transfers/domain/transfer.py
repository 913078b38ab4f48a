"""The Transfer aggregate: one transfer's progress, changed only by applying its own events.

Plain Python. The process manager asks it what comes next (`stage`) and records each step here
once: two recorders of the same step race for the same stream version and one loses. Only the
transitions of TRANSITIONS exist, so a stream can never say, say, "completed" without a credit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from apps.contract.account_events import CENT, MAX_AMOUNT, MAX_SECONDS
from apps.contract.transfer_events import (
    EVENTS,
    TRANSFER_COMPENSATED,
    TRANSFER_COMPLETED,
    TRANSFER_CREDIT_REFUSED,
    TRANSFER_CREDITED,
    TRANSFER_DEBITED,
    TRANSFER_FAILED,
    TRANSFER_REQUESTED,
)


class Stage(StrEnum):
    NEW = "NEW"
    REQUESTED = "REQUESTED"  # next: debit the source
    DEBITED = "DEBITED"  # next: credit the target
    CREDITED = "CREDITED"  # next: settle both sides and complete
    COMPENSATING = "COMPENSATING"  # the credit was refused; next: refund the source
    COMPENSATED = "COMPENSATED"  # next: fail
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


# Stage -> {event type -> the stage it leads to}: every step a transfer can take.
TRANSITIONS: dict[Stage, dict[str, Stage]] = {
    Stage.NEW: {TRANSFER_REQUESTED.name: Stage.REQUESTED},
    Stage.REQUESTED: {TRANSFER_DEBITED.name: Stage.DEBITED, TRANSFER_FAILED.name: Stage.FAILED},
    Stage.DEBITED: {
        TRANSFER_CREDITED.name: Stage.CREDITED,
        TRANSFER_CREDIT_REFUSED.name: Stage.COMPENSATING,
    },
    Stage.CREDITED: {TRANSFER_COMPLETED.name: Stage.COMPLETED},
    Stage.COMPENSATING: {TRANSFER_COMPENSATED.name: Stage.COMPENSATED},
    Stage.COMPENSATED: {TRANSFER_FAILED.name: Stage.FAILED},
    Stage.COMPLETED: {},
    Stage.FAILED: {},
}
FINAL = frozenset({Stage.COMPLETED, Stage.FAILED})
# A refusal caused by the deadline rather than by an account's rules.
TIMED_OUT = "timed_out"


@dataclass(frozen=True)
class TransferEvent:
    event_id: UUID
    transfer_id: UUID
    version: int
    event_type: str
    timestamp: datetime
    data: dict[str, Any] = field(default_factory=dict)
    # Not part of its meaning: where a stored event came from (actor, correlation id, ...).
    metadata: dict[str, str] = field(default_factory=dict, compare=False)


class Transfer:
    def __init__(self, transfer_id: UUID) -> None:
        self.id = transfer_id
        self.version = 0
        self.stage = Stage.NEW
        self.from_account: UUID | None = None
        self.to_account: UUID | None = None
        self.amount = Decimal("0.00")
        self.timeout_seconds = 0
        self.reason = ""
        self.created_at: datetime | None = None
        self.completed_at: datetime | None = None
        # The request that started it (its first event's correlation id), and the event its
        # next step reacts to: what the saga's events name as their correlation and cause.
        self.correlation_id: str | None = None
        self.last_event_id: UUID | None = None
        self._pending: list[TransferEvent] = []

    @classmethod
    def rebuild(cls, transfer_id: UUID, events: Iterable[TransferEvent]) -> Transfer:
        transfer = cls(transfer_id)
        for event in events:
            transfer.apply(event)
        return transfer

    @classmethod
    def request(
        cls,
        transfer_id: UUID,
        source: UUID,
        target: UUID,
        amount: Decimal,
        now: datetime,
        timeout_seconds: int,
    ) -> Transfer:
        # The callers validated the request; these guard the stored history, not the client.
        if now.tzinfo is None:
            raise ValueError("A transfer's time must be timezone-aware")
        if not CENT <= amount < MAX_AMOUNT or amount != amount.quantize(CENT):
            raise ValueError(f"Invalid transfer amount {amount}")
        if isinstance(timeout_seconds, bool) or not 1 <= timeout_seconds <= MAX_SECONDS:
            raise ValueError(f"Invalid transfer timeout {timeout_seconds}")
        transfer = cls(transfer_id)
        data = {
            "from_account": str(source),
            "to_account": str(target),
            "amount": str(amount.quantize(CENT)),
            "timeout_seconds": timeout_seconds,
        }
        transfer._record(TRANSFER_REQUESTED.name, now, data)
        return transfer

    @property
    def deadline(self) -> datetime | None:
        """When the transfer gives up: past it, no account takes a step it has not taken yet."""
        if self.created_at is None:
            return None
        return self.created_at + timedelta(seconds=self.timeout_seconds)

    @property
    def status(self) -> str:
        return self.stage.value if self.stage in FINAL else "PENDING"

    @property
    def final(self) -> bool:
        return self.stage in FINAL

    def step(self, event_type: str, now: datetime, reason: str = "") -> None:
        """Records the step `event_type`; `reason` (a domain code) for a refusal or a failure."""
        wants_reason = "reason" in EVENTS[event_type].fields
        if wants_reason != bool(reason):
            raise ValueError(f"{event_type} {'needs' if wants_reason else 'takes no'} reason")
        self._record(event_type, now, {"reason": reason} if reason else {})

    def pull_pending_events(self) -> list[TransferEvent]:
        pending, self._pending = self._pending, []
        return pending

    def _record(self, event_type: str, now: datetime, data: dict[str, Any]) -> None:
        event = TransferEvent(uuid4(), self.id, self.version + 1, event_type, now, data)
        self.apply(event)
        self._pending.append(event)

    def apply(self, event: TransferEvent) -> None:
        if event.event_type not in EVENTS:
            raise ValueError(f"{event.event_type} is no transfer event")
        if event.version != self.version + 1:
            raise ValueError(f"Event version {event.version} does not follow {self.version}")
        next_stage = TRANSITIONS[self.stage].get(event.event_type)
        if next_stage is None:
            raise ValueError(f"Transfer {self.id} is {self.stage}: no {event.event_type}")
        if event.event_type == TRANSFER_REQUESTED.name:
            self.from_account = UUID(event.data["from_account"])
            self.to_account = UUID(event.data["to_account"])
            self.amount = Decimal(event.data["amount"])
            self.timeout_seconds = int(event.data["timeout_seconds"])
            self.created_at = event.timestamp
            origin = event.metadata
            # Requested before correlation ids were stored: its request id is the same thing.
            self.correlation_id = origin.get("correlation_id") or origin.get("request_id")
        self.reason = event.data.get("reason", self.reason)
        self.stage = next_stage
        if self.final:
            self.completed_at = event.timestamp
        self.version = event.version
        self.last_event_id = event.event_id
