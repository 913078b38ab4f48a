"""What the handlers need from the outside world, as interfaces."""

from collections.abc import Callable
from datetime import datetime
from typing import Protocol
from uuid import UUID

from ..domain.account import BankAccount


class ConcurrentUpdate(Exception):
    """Another command changed the account between our load and our save."""


class AccountRepository(Protocol):
    def load(self, account_id: UUID, *, latest: bool = False) -> BankAccount:
        """The account rebuilt from its events; version 0 if it has none.

        With latest=False it may be the state of the last snapshot, which can lag behind the
        stream; saving changes to a lagging state raises ConcurrentUpdate, so nothing wrong is
        ever stored. latest=True also reads every event after the snapshot.
        """

    def save(self, account: BankAccount) -> None:
        """Appends the account's pending events, or raises ConcurrentUpdate."""


Clock = Callable[[], datetime]
