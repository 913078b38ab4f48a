"""What the projector and the replay need from the outside world, as interfaces."""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Protocol
from uuid import UUID

from ..domain.account_fold import AccountRow
from ..domain.event_message import EventMessage
from ..domain.statement import StatementEntry


class AccountRows(Protocol):
    """The account read model's rows; every write is guarded by version."""

    def atomic(self) -> AbstractContextManager[object]:
        """A transaction: the writes inside it are all committed, or none."""

    def load_for_update(self, ids: Iterable[UUID]) -> dict[UUID, AccountRow]: ...

    def upsert(self, rows: Sequence[AccountRow]) -> None:
        """Writes each row unless the stored one has a newer version."""

    def epoch(self) -> int:
        """How many writes replays have made; read under a lock that a replay's write takes."""

    def bump_epoch(self) -> None:
        """Marks a replay's write: workers forget the rows they remember."""

    def ids(self) -> Iterator[UUID]: ...

    def delete(self, ids: Sequence[UUID]) -> int: ...


class EventSource(Protocol):
    """The event store, read through its public interface, in the contract's messages."""

    def read_stream(
        self, account_id: UUID, after_version: int = 0, up_to_version: int | None = None
    ) -> list[EventMessage]: ...

    # Accounts' events only; `passed_over` counts the other aggregates' events read_all skipped.
    passed_over: int

    def read_all(self, batch_size: int) -> Iterator[list[EventMessage]]: ...

    def count(self) -> int:
        """Every event stored, of any aggregate (cheap): progress's total, an upper bound."""

    def account_exists(self, account_id: UUID) -> bool: ...


class StatementLines(Protocol):
    """The statement read model: at most one line per account and version.

    Its writes take part in the transaction of AccountRows.atomic(), so lines and rows are
    committed together or not at all.
    """

    def add(self, entries: Sequence[StatementEntry]) -> None:
        """Inserts each entry unless its account has a line at its version already."""

    def put(self, entries: Sequence[StatementEntry]) -> None:
        """Inserts each entry, overwriting a line at its version (replay)."""

    def delete(self, keys: Sequence[tuple[UUID, int]]) -> int:
        """Deletes the lines at these (account, version) keys."""

    def delete_accounts(self, ids: Sequence[UUID]) -> int: ...

    def prune(self) -> int:
        """Deletes lines of accounts without a row, and lines newer than their account's row."""
