"""How a command changes an existing account: load it (from the cache when trusted), let it
decide, append what it decided; a refusal or a lost race is decided again on the latest state.
Every handler of a command on an account goes through here (handlers.py)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from kernel.concurrency import ConcurrencyError

from ..domain.account import BankAccount
from ..domain.errors import AccountNotFound, DomainError, VersionConflict
from .errors import ConcurrencyExhausted
from .ports import AccountRepository


class OnAnAccount(Protocol):
    """A command on an existing account (some also carry an `expected_version`)."""

    @property
    def account_id(self) -> UUID: ...


@dataclass(frozen=True)
class CommandResult:
    account_id: UUID
    version: int


def change(
    repository: AccountRepository,
    cmd: OnAnAccount,
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
