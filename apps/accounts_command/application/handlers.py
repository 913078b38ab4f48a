"""One handler per command: load the aggregate, let it decide, append what it decided."""

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID, uuid4

from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_random_exponential

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
from ..domain.errors import AccountAlreadyExists, AccountNotFound, DomainError, VersionConflict
from ..domain.events import FundsTransferredIn, FundsTransferredOut
from .errors import ConcurrencyExhausted
from .ports import AccountRepository, Clock


@dataclass(frozen=True)
class CommandResult:
    account_id: UUID
    version: int


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
    return _change(repository, cmd, retries, lambda account: account.deposit(cmd.amount, clock()))


def withdraw_funds(
    cmd: WithdrawFunds, repository: AccountRepository, clock: Clock, retries: int
) -> CommandResult:
    return _change(repository, cmd, retries, lambda account: account.withdraw(cmd.amount, clock()))


def close_account(
    cmd: CloseAccount, repository: AccountRepository, clock: Clock, retries: int
) -> CommandResult:
    return _change(repository, cmd, retries, lambda account: account.close(clock()))


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
        return _change(repository, cmd, retries, decide)
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
        _change(repository, cmd, retries, decide, latest=True)
    except AccountNotFound:  # no account, so no step was ever taken there
        return TransferStepStatus(stepped=False)
    except EventAlreadyStored:  # the step's id is taken: by the step, or by an earlier fence
        account = repository.load(cmd.account_id, latest=True)
        return TransferStepStatus(stepped=cmd.transfer_id in account.in_flight)
    return TransferStepStatus(stepped)


def _change(
    repository: AccountRepository,
    cmd: DepositFunds | WithdrawFunds | CloseAccount | TransferCommand | ExpireTransfer,
    retries: int,
    decide: Callable[[BankAccount], None],
    latest: bool = False,
) -> CommandResult:
    account_id = cmd.account_id
    expected_version = getattr(cmd, "expected_version", None)
    # The first attempt trusts the process's cache unless told not to; any doubt reads the store.

    def decide_on(account: BankAccount) -> None:
        if not account.exists:
            raise AccountNotFound(f"Account {account_id} does not exist.")
        if expected_version is not None and expected_version != account.version:
            raise VersionConflict(
                f"Expected version {expected_version}, but the account is at version "
                f"{account.version}.",
                account.version,
            )
        decide(account)

    def attempt() -> CommandResult:
        nonlocal latest
        account = repository.load(account_id, latest=latest)
        try:
            decide_on(account)
        except DomainError:
            if latest:
                raise
            # A refusal must rest on the latest state, not on a snapshot that may lag.
            latest = True
            account = repository.load(account_id, latest=True)
            decide_on(account)
        try:
            repository.save(account)
        except ConcurrencyError:
            latest = True
            if expected_version is not None:
                raise VersionConflict(
                    f"Expected version {expected_version}, but another command changed the "
                    "account first.",
                    expected_version + 1,
                ) from None
            raise
        return CommandResult(account.id, account.version)

    # A client that gave no expected_version only ever sees business outcomes: a lost race
    # (to another process: commands in this one take turns) reloads the account and decides
    # again on its new state, after a jittered pause so the racers spread out.
    retrying = retry(
        retry=retry_if_exception_type(ConcurrencyError),
        stop=stop_after_attempt(retries + 1),
        wait=wait_random_exponential(multiplier=0.01, max=0.5),
        reraise=True,
    )(attempt)
    try:
        return retrying()
    except ConcurrencyError:
        raise ConcurrencyExhausted("The account is changing too fast; try again.") from None
