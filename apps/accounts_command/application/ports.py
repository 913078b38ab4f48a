"""What the handlers need from the outside world, as interfaces."""

from collections.abc import Callable
from datetime import datetime
from typing import Protocol
from uuid import UUID

from ..domain.account import BankAccount
from .history import HistoryEvent


class AccountRepository(Protocol):
    def load(self, account_id: UUID, *, latest: bool = False) -> BankAccount:
        """The account rebuilt from its events; version 0 if it has none.

        With latest=False it may be the state of the last snapshot, which can lag behind the
        stream; saving changes to a lagging state raises ConcurrencyError, so nothing wrong is
        ever stored. latest=True also reads every event after the snapshot.
        """

    def save(self, account: BankAccount) -> None:
        """Records the account's pending events, or raises techbank.concurrency.ConcurrencyError
        when another command stored the next version first."""


class HistoryReader(Protocol):
    def read(self, account_id: UUID, after_version: int, limit: int) -> list[HistoryEvent]:
        """Up to `limit` events of the account after `after_version`, in version order."""

    def exists(self, account_id: UUID) -> bool: ...


Clock = Callable[[], datetime]
