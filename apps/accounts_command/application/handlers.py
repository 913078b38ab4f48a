"""One handler per command: load the aggregate, let it decide, append what it decided."""

from collections.abc import Callable
from dataclasses import dataclass
from uuid import uuid4

from kernel.concurrency import ConcurrencyError, EventAlreadyStored

from ..domain.account import BankAccount
from ..domain.commands import (
    CloseAccount,
    CreditForTransfer,
    DebitForTransfer,
    DepositFunds,
    ExpireTransfer,
    OpenAccount,
    RefundTransfer,
    SettleTransfer,
    WithdrawFunds,
)
from ..domain.errors import AccountAlreadyExists, AccountNotFound
from ..domain.events import FundsTransferredIn, FundsTransferredOut
from .change import CommandResult, change
from .ports import AccountRepository, Clock


def open_account(cmd: OpenAccount, repository: AccountRepository, clock: Clock) -> CommandResult:
    account = BankAccount.open(
        cmd.account_id or uuid4(), cmd.holder, cmd.account_type, cmd.opening_balance, clock()
    )
    try:
        repository.save(account)
    except ConcurrencyError:
        raise AccountAlreadyExists(f"Account {account.id} already exists.") from None
    return CommandResult(account.id, account.version)


def deposit_funds(
    cmd: DepositFunds, repository: AccountRepository, clock: Clock, retries: int
) -> CommandResult:
    return change(repository, cmd, retries, lambda account: account.deposit(cmd.amount, clock()))


def withdraw_funds(
    cmd: WithdrawFunds, repository: AccountRepository, clock: Clock, retries: int
) -> CommandResult:
    return change(repository, cmd, retries, lambda account: account.withdraw(cmd.amount, clock()))


def close_account(
    cmd: CloseAccount, repository: AccountRepository, clock: Clock, retries: int
) -> CommandResult:
    return change(repository, cmd, retries, lambda account: account.close(clock()))


TransferCommand = DebitForTransfer | CreditForTransfer | RefundTransfer | SettleTransfer


@dataclass(frozen=True)
class TransferStepStatus:
    """ExpireTransfer's answer: whether the account had taken the transfer's step."""

    stepped: bool


def transfer_step(
    cmd: TransferCommand, repository: AccountRepository, clock: Clock, retries: int
) -> CommandResult:
    """One step of a transfer on one account; a repeat (a process manager's retry after a crash)
    stores nothing, whether the account still remembers the transfer or the store's unique
    event id refuses the step's event."""

    def decide(account: BankAccount) -> None:
        if isinstance(cmd, DebitForTransfer):
            account.transfer_step(
                FundsTransferredOut, cmd.amount, cmd.transfer_id, clock(), cmd.deadline
            )
        elif isinstance(cmd, CreditForTransfer):
            account.transfer_step(
                FundsTransferredIn, cmd.amount, cmd.transfer_id, clock(), cmd.deadline
            )
        elif isinstance(cmd, RefundTransfer):
            account.refund(cmd.transfer_id, clock())
        else:
            account.settle(cmd.transfer_id, clock())

    try:
        return change(repository, cmd, retries, decide)
    except EventAlreadyStored:
        # Taken before (and forgotten since, for a refund or settle), or fenced.
        account = repository.load(cmd.account_id, latest=True)
        if isinstance(cmd, (DebitForTransfer, CreditForTransfer)):
            account.step_taken(cmd.transfer_id)
        return CommandResult(account.id, account.version)


def expire_transfer(
    cmd: ExpireTransfer, repository: AccountRepository, clock: Clock, retries: int
) -> TransferStepStatus:
    stepped = True

    def decide(account: BankAccount) -> None:
        nonlocal stepped
        stepped = account.expire(cmd.transfer_id, clock())

    try:
        # Decided on the stream's latest state: a fence must not rest on a cached one.
        change(repository, cmd, retries, decide, latest=True)
    except AccountNotFound:  # no account, so no step was ever taken there
        return TransferStepStatus(stepped=False)
    except EventAlreadyStored:  # the step's id is taken: by the step, or by an earlier fence
        account = repository.load(cmd.account_id, latest=True)
        return TransferStepStatus(stepped=cmd.transfer_id in account.in_flight)
    return TransferStepStatus(stepped)


# Each command of an existing account and its handler; an account's commands take turns in a
# process (bootstrap.py serializes them per account). OpenAccount has no account to wait for.
ON_AN_ACCOUNT: tuple[tuple[type, Callable[..., object]], ...] = (
    (DepositFunds, deposit_funds),
    (WithdrawFunds, withdraw_funds),
    (CloseAccount, close_account),
    (DebitForTransfer, transfer_step),
    (CreditForTransfer, transfer_step),
    (RefundTransfer, transfer_step),
    (SettleTransfer, transfer_step),
    (ExpireTransfer, expire_transfer),
)
