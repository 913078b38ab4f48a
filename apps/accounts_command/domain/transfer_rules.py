"""The rules of a transfer's steps on one account.

An account remembers each transfer it took part in (`InFlight`) from its debit or credit until
the transfer is settled or refunded: that is all it needs to take each step once, to refuse
closing while a refund may still come, and to keep room below the ceiling for that refund. Its
state so grows with the transfers in flight, never with its history.

A step that comes again after the account forgot its transfer (a stale process manager) is
refused by the event store: a step's event id is derived from the transfer, the account and
the step (`step_event_id`), and an event id is stored once ever. The debit or credit of a
transfer on an account (an account is one side, never both) and its fence (TransferExpired)
share one id, STEP: once either is stored, the other never can be, whatever state or clock a
late process manager decides on.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from uuid import UUID, uuid5

from .errors import AccountIsClosed, BalanceLimitExceeded, InsufficientFunds
from .money import MAX_BALANCE

# Fixed for good: stored event ids are derived from it.
STEP_NAMESPACE = UUID("5c1d8d2e-7f3a-4b9e-9a51-0d6f3c2b7e10")
# The name a debit, a credit and their fence share in step_event_id.
STEP = "step"


class Role(StrEnum):
    OUT = "out"  # this account was debited; a refund may still come
    IN = "in"  # this account was credited


@dataclass(frozen=True)
class InFlight:
    transfer_id: UUID
    role: Role
    amount: Decimal


def step_event_id(transfer_id: UUID, account_id: UUID, step: str) -> UUID:
    """The one event id the step `step` of a transfer can have on this account."""
    return uuid5(STEP_NAMESPACE, f"{transfer_id}:{account_id}:{step}")


def balance_after_debit(balance: Decimal, amount: Decimal, closed: bool) -> Decimal:
    if closed:
        raise AccountIsClosed("The account is closed.")
    if amount > balance:
        raise InsufficientFunds(f"Cannot transfer {amount}: the balance is {balance}.")
    return balance - amount


def balance_after_credit(
    balance: Decimal, reserved: Decimal, amount: Decimal, closed: bool
) -> Decimal:
    if closed:
        raise AccountIsClosed("The account is closed.")
    check_room(balance, reserved, amount)
    return balance + amount


def check_room(balance: Decimal, reserved: Decimal, amount: Decimal) -> None:
    """Money coming in must leave room for the refunds of the transfers in flight (`reserved`),
    so that a refund, which returns the account's own money, is never refused."""
    if balance + reserved + amount >= MAX_BALANCE:
        raise BalanceLimitExceeded(
            f"The balance must stay below {MAX_BALANCE}"
            + (f" ({reserved} is kept for transfers in flight)." if reserved else ".")
        )
