"""Commands: what a client asks the bank to do, named in the imperative."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID


@dataclass(frozen=True)
class Command:
    pass


@dataclass(frozen=True)
class OpenAccount(Command):
    holder: str
    account_type: str
    opening_balance: Decimal
    # None: the handler picks a new id (the API always leaves it so); a caller that picks one
    # gets account_exists if it is taken.
    account_id: UUID | None = None


@dataclass(frozen=True)
class DepositFunds(Command):
    account_id: UUID
    amount: Decimal
    expected_version: int | None = None


@dataclass(frozen=True)
class WithdrawFunds(Command):
    account_id: UUID
    amount: Decimal
    expected_version: int | None = None


@dataclass(frozen=True)
class CloseAccount(Command):
    account_id: UUID
    expected_version: int | None = None


@dataclass(frozen=True)
class TransferStepCommand(Command):
    """A step of the transfer `transfer_id` on one account; a repeat of a step does nothing."""

    account_id: UUID
    amount: Decimal
    transfer_id: UUID


@dataclass(frozen=True)
class DebitForTransfer(TransferStepCommand):
    deadline: datetime  # refused (timed_out) once it has passed


@dataclass(frozen=True)
class CreditForTransfer(TransferStepCommand):
    deadline: datetime


@dataclass(frozen=True)
class RefundTransfer(TransferStepCommand):
    """Gives back what the transfer debited; never refused (no ceiling, no closed account)."""


@dataclass(frozen=True)
class SettleTransfer(Command):
    """The transfer is over: the account forgets it."""

    account_id: UUID
    transfer_id: UUID


@dataclass(frozen=True)
class ExpireTransfer(Command):
    """The transfer's deadline passed: did the account take its step? If not, it never will.

    Dispatching it answers handlers.TransferStepStatus.
    """

    account_id: UUID
    transfer_id: UUID
