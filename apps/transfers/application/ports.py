"""What the transfers' application needs from outside, as interfaces."""

from collections.abc import Callable
from datetime import datetime
from typing import Protocol
from uuid import UUID

from ..domain.transfer import Transfer


class TransferRepository(Protocol):
    def load(self, transfer_id: UUID) -> Transfer:
        """The transfer rebuilt from its stream; version 0 if it has none (or the stream is
        not a transfer's)."""

    def save(self, transfer: Transfer) -> None:
        """Records its pending events, or raises kernel.concurrency.ConcurrencyError when
        another recorder took the next version first."""


class Deadlines(Protocol):
    """One stored entry per transfer in flight: when it is due, and which partition's member
    of the process manager fires it (None: any member)."""

    def register(self, transfer_id: UUID, due: datetime, partition: int | None) -> None:
        """Creates the entry if there is none; a partition given fills in the entry's.

        Never moves an existing entry's `due`: a retry's backoff stays in force."""

    def forget(self, transfer_id: UUID) -> None:
        """Deletes the entry (the transfer is final); nothing if there is none."""

    def due(self, partitions: set[int] | None, now: datetime) -> list[UUID]:
        """Entries due at `now` whose partition is in `partitions` or None (None: all)."""

    def postpone(self, transfer_id: UUID, until: datetime) -> None:
        """Moves the entry's `due` to `until` and counts one more failed attempt."""

    def park(self, transfer_id: UUID, reason: str) -> None:
        """Marks the entry parked with `reason`, for operators; it still fires."""


class AccountCommands(Protocol):
    def dispatch(self, command: object) -> object: ...


Clock = Callable[[], datetime]
AccountExists = Callable[[UUID], bool]
