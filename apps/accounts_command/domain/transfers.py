"""What a BankAccount does for the transfers it takes part in: debit, credit, refund, settle,
expire. The rules behind each are in transfer_rules.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from .errors import TransferStepFenced, TransferTimedOut
from .events import (
    DomainEvent,
    FundsTransferredIn,
    FundsTransferredOut,
    TransferExpired,
    TransferRefunded,
    TransferSettled,
    TransferStep,
)
from .money import to_money
from .transfer_rules import (
    STEP,
    InFlight,
    Role,
    balance_after_credit,
    balance_after_debit,
    step_event_id,
)

ROLES: dict[type[DomainEvent], Role] = {FundsTransferredOut: Role.OUT, FundsTransferredIn: Role.IN}
# The events that take (or fence) a transfer's one step on an account share its id.
STEP_EVENTS = (FundsTransferredOut, FundsTransferredIn, TransferExpired)


class TransferSteps:
    """Mixed into BankAccount, whose state and `_record` it uses."""

    id: UUID
    balance: Decimal
    closed: bool
    in_flight: dict[UUID, InFlight]
    _record: Callable[..., None]

    @property
    def reserved(self) -> Decimal:
        """What the refunds of the transfers in flight may still bring back."""
        return sum(
            (step.amount for step in self.in_flight.values() if step.role is Role.OUT),
            Decimal("0.00"),
        )

    def transfer_step(
        self,
        step: type[TransferStep],
        amount: object,
        transfer_id: UUID,
        now: datetime,
        deadline: datetime | None = None,
    ) -> None:
        """The debit (out) or credit (in) of a transfer; a repeat of it does nothing."""
        if transfer_id in self.in_flight:
            return
        value = to_money(amount, "amount")
        if deadline is not None and now > deadline:
            raise TransferTimedOut(f"Transfer {transfer_id} passed its deadline ({deadline}).")
        if step is FundsTransferredOut:
            balance = balance_after_debit(self.balance, value, self.closed)
        else:
            balance = balance_after_credit(self.balance, self.reserved, value, self.closed)
        self._record_step(step, now, transfer_id, amount=value, balance=balance)

    def refund(self, transfer_id: UUID, now: datetime) -> None:
        """Gives back what the transfer debited. Never refused: the money was this account's,
        its room below the ceiling was kept, and it cannot have closed meanwhile."""
        debit = self.in_flight.get(transfer_id)
        if debit is None or debit.role is not Role.OUT:
            return  # refunded already, or never debited: nothing to give back
        balance = self.balance + debit.amount
        self._record_step(TransferRefunded, now, transfer_id, amount=debit.amount, balance=balance)

    def settle(self, transfer_id: UUID, now: datetime) -> None:
        if transfer_id in self.in_flight:
            self._record_step(TransferSettled, now, transfer_id)

    def expire(self, transfer_id: UUID, now: datetime) -> bool:
        """Whether the account took its step of the transfer; if not, it records that it never
        will: the fence takes the step's own event id, so no debit or credit of the transfer
        can be stored here after it, however stale the state it was decided on."""
        if transfer_id in self.in_flight:
            return True
        self._record_step(TransferExpired, now, transfer_id)
        return False

    def step_taken(self, transfer_id: UUID) -> None:
        """After the store refused a debit or credit as stored already: taken, or fenced?
        Only asked while the transfer is not over here, so the state tells which."""
        if transfer_id not in self.in_flight:
            raise TransferStepFenced(f"Transfer {transfer_id} takes no step here any more.")

    def _record_step(
        self, step: type[DomainEvent], now: datetime, transfer_id: UUID, **data: Any
    ) -> None:
        event_id = step_event_id(transfer_id, self.id, _id_name(step))
        self._record(step, now, event_id=event_id, transfer_id=transfer_id, **data)

    def apply_transfer_event(self, event: DomainEvent) -> bool:
        """Applies a transfer's event to the state; False if `event` is none of them."""
        if isinstance(event, TransferStep):
            self.balance = event.balance
        elif not isinstance(event, (TransferSettled, TransferExpired)):
            return False
        transfer_id = event.transfer_id
        role = ROLES.get(type(event))
        # ROLES names steps only (the isinstance tells mypy so).
        if role is not None and isinstance(event, TransferStep):
            # Steps stored before accounts tracked transfers have random ids and are over.
            if event.event_id == step_event_id(transfer_id, self.id, STEP):
                self.in_flight[transfer_id] = InFlight(transfer_id, role, event.amount)
        else:
            self.in_flight.pop(transfer_id, None)
        return True


def _id_name(step: type[DomainEvent]) -> str:
    return STEP if step in STEP_EVENTS else step.__name__
