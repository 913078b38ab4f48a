"""The process manager's table: for each stage of a transfer, the one account step it takes
and the transfer event that records the outcome (the README's state diagram draws it).

Until the deadline a step is asked for; past it, or once the account refused it,
ExpireTransfer fences the step off the account and says whether it had been taken before the
fence, so the outcome is decided exactly once, whatever reactions race: either the step
happened (and the saga goes on) or it never will (and the saga unwinds).
"""

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from apps.accounts_command.application.handlers import TransferStepStatus
from apps.accounts_command.domain.commands import (
    CreditForTransfer,
    DebitForTransfer,
    ExpireTransfer,
    RefundTransfer,
    SettleTransfer,
)
from apps.accounts_command.domain.errors import (
    AccountIsClosed,
    AccountNotFound,
    DomainError,
    TransferTimedOut,
)
from apps.contract import transfer_events as recorded

from ..domain.transfer import TIMED_OUT, Stage, Transfer
from .ports import AccountCommands


def take_step(transfer: Transfer, accounts: AccountCommands, now: datetime) -> None:
    """Takes the one step the transfer's stage calls for and records its event (unsaved)."""
    STEPS[transfer.stage](transfer, accounts, now)


def settle(transfer: Transfer, accounts: AccountCommands) -> None:
    """A completed transfer is over for both accounts: each forgets it (a repeat does
    nothing). Done after COMPLETED is recorded, so that it is off the transfer's critical path;
    a crash before it leaves the deadline entry, whose firing settles it."""
    for account in (_source(transfer), _target(transfer)):
        accounts.dispatch(SettleTransfer(account, transfer.id))


def _debit(transfer: Transfer, accounts: AccountCommands, now: datetime) -> None:
    source, deadline = _source(transfer), _deadline(transfer)
    if now <= deadline:
        try:
            accounts.dispatch(DebitForTransfer(source, transfer.amount, transfer.id, deadline))
        except TransferTimedOut:
            pass  # the account's clock saw the deadline pass: settle it by the fence below
        except DomainError as refusal:
            # A refusal is made final by the fence too: a racing reaction (a rebalance) whose
            # debit passed a moment later must not leave the source debited by a failed transfer.
            if _expire(accounts, source, transfer.id):
                transfer.step(recorded.TRANSFER_DEBITED.name, now)
            else:
                transfer.step(recorded.TRANSFER_FAILED.name, now, refusal.code)
            return
        else:
            transfer.step(recorded.TRANSFER_DEBITED.name, now)
            return
    if _expire(accounts, source, transfer.id):
        # Debited before the fence: DEBITED, which then unwinds it.
        transfer.step(recorded.TRANSFER_DEBITED.name, now)
    else:
        transfer.step(recorded.TRANSFER_FAILED.name, now, TIMED_OUT)


def _credit(transfer: Transfer, accounts: AccountCommands, now: datetime) -> None:
    target, deadline = _target(transfer), _deadline(transfer)
    if now <= deadline:
        try:
            accounts.dispatch(CreditForTransfer(target, transfer.amount, transfer.id, deadline))
        except TransferTimedOut:
            pass
        except DomainError as refusal:  # fenced (as above), then stored before any refund
            if _expire(accounts, target, transfer.id):
                _credited(transfer, now)
            else:
                transfer.step(recorded.TRANSFER_CREDIT_REFUSED.name, now, refusal.code)
            return
        else:
            _credited(transfer, now)
            return
    if _expire(accounts, target, transfer.id):
        _credited(transfer, now)
    else:
        transfer.step(recorded.TRANSFER_CREDIT_REFUSED.name, now, TIMED_OUT)


def _credited(transfer: Transfer, now: datetime) -> None:
    # Nothing is left to decide once the target is credited: completed at once, in the same
    # reaction (a crash between the two records leaves CREDITED, whose reaction completes it).
    transfer.step(recorded.TRANSFER_CREDITED.name, now)
    transfer.step(recorded.TRANSFER_COMPLETED.name, now)


def _complete(transfer: Transfer, accounts: AccountCommands, now: datetime) -> None:
    transfer.step(recorded.TRANSFER_COMPLETED.name, now)


def _refund(transfer: Transfer, accounts: AccountCommands, now: datetime) -> None:
    accounts.dispatch(RefundTransfer(_source(transfer), transfer.amount, transfer.id))
    transfer.step(recorded.TRANSFER_COMPENSATED.name, now)


def _fail(transfer: Transfer, accounts: AccountCommands, now: datetime) -> None:
    transfer.step(recorded.TRANSFER_FAILED.name, now, transfer.reason)


def _expire(accounts: AccountCommands, account: UUID, transfer_id: UUID) -> bool:
    """Whether the account took the transfer's step before the fence now put up."""
    try:
        status = accounts.dispatch(ExpireTransfer(account, transfer_id))
    except (AccountNotFound, AccountIsClosed):
        # No such account, or a closed one (an account with a step in flight cannot close):
        # it has not taken the step, and refuses it for good.
        return False
    if not isinstance(status, TransferStepStatus):
        raise TypeError(f"ExpireTransfer answered {status!r}")
    return status.stepped


def _source(transfer: Transfer) -> UUID:
    assert transfer.from_account is not None  # set by TransferRequested, the first event
    return transfer.from_account


def _target(transfer: Transfer) -> UUID:
    assert transfer.to_account is not None
    return transfer.to_account


def _deadline(transfer: Transfer) -> datetime:
    assert transfer.deadline is not None
    return transfer.deadline


STEPS: dict[Stage, Callable[[Transfer, AccountCommands, datetime], None]] = {
    Stage.REQUESTED: _debit,
    Stage.DEBITED: _credit,
    Stage.CREDITED: _complete,
    Stage.COMPENSATING: _refund,
    Stage.COMPENSATED: _fail,
}
