"""The rules of a transfer's steps on one account: what each step leaves as the balance."""

from decimal import Decimal

from .errors import AccountIsClosed, BalanceLimitExceeded, InsufficientFunds
from .events import FundsTransferredOut, TransferRefunded, TransferStep
from .money import MAX_BALANCE


def balance_after(
    step: type[TransferStep], balance: Decimal, amount: Decimal, closed: bool
) -> Decimal:
    # A refund returns money that was this account's, even if it was closed meanwhile:
    # refusing it would make the money vanish.
    if closed and step is not TransferRefunded:
        raise AccountIsClosed("The account is closed.")
    if step is FundsTransferredOut:
        if amount > balance:
            raise InsufficientFunds(f"Cannot transfer {amount}: the balance is {balance}.")
        return balance - amount
    if balance + amount >= MAX_BALANCE:
        raise BalanceLimitExceeded(f"The balance must stay below {MAX_BALANCE}.")
    return balance + amount
