"""What the transfers' application needs from outside, as interfaces."""

from collections.abc import Callable
from datetime import datetime
from typing import Protocol
from uuid import UUID

from ..domain.transfer import Transfer


class TransferRepository(Protocol):
    def load(self, transfer_id: UUID) -> Transfer:
        """The transfer rebuilt from its stream; version 0 if it has none."""

    def save(self, transfer: Transfer) -> None:
        """Records its pending events, or raises techbank.concurrency.ConcurrencyError when
        another recorder took the next version first."""


class TransferRows(Protocol):
    def upsert(self, transfer: Transfer) -> None:
        """Shows the transfer's state in the read model, unless it shows a newer one."""


class AccountCommands(Protocol):
    def dispatch(self, command: object) -> object: ...


Clock = Callable[[], datetime]
AccountExists = Callable[[UUID], bool]
