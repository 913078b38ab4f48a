"""One handler per command: load the aggregate, let it decide, append what it decided."""

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID, uuid4

from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from techbank.concurrency import ConcurrencyError

from ..domain.account import BankAccount
from ..domain.commands import (
    CloseAccount,
    CreditForTransfer,
    DebitForTransfer,
    DepositFunds,
    OpenAccount,
    RefundTransfer,
    TransferStepCommand,
    WithdrawFunds,
)
from ..domain.errors import AccountAlreadyExists, AccountNotFound, DomainError, VersionConflict
from ..domain.events import FundsTransferredIn, FundsTransferredOut, TransferRefunded
from .errors import ConcurrencyExhausted
from .ports import AccountRepository, Clock


@dataclass(frozen=True)
class CommandResult:
    account_id: UUID
    version: int


@dataclass(frozen=True)
class TransferStepStatus:
    """ExpireTransfer's answer: whether the transfer's step on the account had been taken."""

    stepped: bool


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


STEPS = {
    DebitForTransfer: FundsTransferredOut,
    CreditForTransfer: FundsTransferredIn,
    RefundTransfer: TransferRefunded,
}


def transfer_step(
    cmd: TransferStepCommand, repository: AccountRepository, clock: Clock, retries: int
) -> CommandResult:
    """One step of a transfer, keyed by its id: a repeat (a process manager's retry after a
    crash) finds the step in the account's state and stores nothing."""
    step = STEPS[type(cmd)]
    return _change(
        repository,
        cmd,
        retries,
        lambda account: account.transfer_step(step, cmd.amount, cmd.transfer_id, clock()),
    )


def _change(
    repository: AccountRepository,
    cmd: DepositFunds | WithdrawFunds | CloseAccount | TransferStepCommand,
    retries: int,
    decide: Callable[[BankAccount], None],
) -> CommandResult:
    account_id = cmd.account_id
    expected_version = getattr(cmd, "expected_version", None)
    latest = False  # the first attempt trusts the process's cache; any doubt reads the store

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
