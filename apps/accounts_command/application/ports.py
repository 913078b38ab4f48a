"""What the handlers need from the outside world, as interfaces."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from ..domain.account import AccountSnapshot, BankAccount
from ..domain.events import DomainEvent


class AccountRepository(Protocol):
    def load(self, account_id: UUID, *, latest: bool = False) -> BankAccount:
        """The account rebuilt from its events; version 0 if it has none.

        With latest=False it may be the state of the last snapshot, which can lag behind the
        stream; saving changes to a lagging state raises ConcurrencyError, so nothing wrong is
        ever stored. latest=True also reads every event after the snapshot.
        """

    def save(self, account: BankAccount) -> None:
        """Records the account's pending events, or raises kernel.concurrency.ConcurrencyError
        when another command stored the next version first."""


@dataclass(frozen=True)
class HistoryEvent:
    """One event of an account's audit log, as stored (what a HistoryReader answers)."""

    event_id: str
    event_type: str
    version: int
    schema_version: int
    timestamp: datetime
    data: dict[str, Any]
    # Who caused it and why (actor, correlation_id, causation_id, request_id): every key, None
    # where the event has none (stored before actors were recorded).
    metadata: dict[str, str | None]


class HistoryReader(Protocol):
    def read(self, account_id: UUID, after_version: int, limit: int) -> list[HistoryEvent]:
        """Up to `limit` events of the account after `after_version`, in version order."""

    def exists(self, account_id: UUID) -> bool: ...


class AccountTimeline(Protocol):
    """The reads of one account's stream that the temporal query needs (GetAccountAsOf)."""

    def event(self, account_id: UUID, version: int) -> DomainEvent | None: ...

    def events(self, account_id: UUID, after: int, until: int) -> Iterable[DomainEvent]:
        """The events after version `after` up to `until`, in version order."""

    def start_at(self, account_id: UUID, version: int) -> AccountSnapshot | None:
        """A saved state at or below `version` to fold from (the nearest one cheaply found)."""

    def passed(self, state: AccountSnapshot) -> None:
        """Called with each state the fold reaches: the timeline may keep some for later."""

    def last_version(self, account_id: UUID) -> int:
        """The stream's last version; 0 if it has no events."""


Clock = Callable[[], datetime]
