"""The temporal query: an account's state right after a given version, or at a given instant.

Folded from the event store by the aggregate's own `apply`, never from a read model. The fold
starts from the nearest saved state at or below the version asked for (timeline.start_at),
so its cost is bounded by the distance to that state, not by the history's length.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, NoReturn
from uuid import UUID

from kernel.mediator import Query

from ..domain.account import BankAccount
from ..domain.errors import AccountNotFound, DomainError

if TYPE_CHECKING:
    from .ports import AccountTimeline


class NoStateThen(DomainError):
    """The account exists, but not at that moment: before its opening or past its last event."""

    code = "state_not_found"


@dataclass(frozen=True)
class GetAccountAsOf(Query):
    """Exactly one of `version` and `at` (an aware datetime) is given."""

    account_id: UUID
    version: int | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class AccountAsOf:
    account_id: UUID
    holder: str
    account_type: str
    balance: Decimal
    closed: bool
    version: int
    as_of: datetime  # the timestamp of event `version`


def get_account_as_of(query: GetAccountAsOf, timeline: "AccountTimeline") -> AccountAsOf:
    account_id = query.account_id
    if query.version is not None:
        version = query.version
    else:
        assert query.at is not None
        version = _version_at(account_id, query.at, timeline)
    target = timeline.event(account_id, version) if version >= 1 else None
    if target is None:
        _missing(account_id, timeline, f"version {version}")
    start = timeline.start_at(account_id, version)
    account = BankAccount.rebuild(account_id, (), start) if start else BankAccount(account_id)
    if account.version < version:
        for event in timeline.events(account_id, account.version, version - 1):
            account.apply(event)
            timeline.passed(account.snapshot())
        account.apply(target)
        timeline.passed(account.snapshot())
    return AccountAsOf(
        account_id,
        account.holder,
        account.account_type,
        account.balance,
        account.closed,
        account.version,
        target.timestamp,
    )


def _version_at(account_id: UUID, at: datetime, timeline: "AccountTimeline") -> int:
    """The last version stamped at or before `at`: a binary search, one lookup per probe.

    Events of one stream are stamped in version order (each command decides on the state the
    one before it left), so the timestamps ascend with the versions.
    """
    last = timeline.last_version(account_id)
    low, high = 0, last  # invariant: version `low` is at or before `at` (0: none is)
    while low < high:
        middle = (low + high + 1) // 2
        event = timeline.event(account_id, middle)
        if event is not None and event.timestamp <= at:
            low = middle
        else:
            high = middle - 1
    if low == 0:
        _missing(account_id, timeline, f"{at.isoformat()} (before the account was opened)")
    return low


def _missing(account_id: UUID, timeline: "AccountTimeline", moment: str) -> NoReturn:
    if timeline.event(account_id, 1) is None:
        raise AccountNotFound(f"No account with id {account_id}.")
    raise NoStateThen(f"Account {account_id} has no state at {moment}.")
