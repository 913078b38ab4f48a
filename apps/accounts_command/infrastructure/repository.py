"""BankAccount persistence: a snapshot plus the events after it, appended one by one."""

import logging
from decimal import Decimal
from uuid import UUID

from apps.eventstore.errors import ConcurrencyError
from apps.eventstore.records import Snapshot
from apps.eventstore.store import EventStore

from ..application.ports import ConcurrentUpdate
from ..domain.account import AccountSnapshot, BankAccount
from .event_codec import AGGREGATE_TYPE, from_stored, to_stored

log = logging.getLogger(__name__)


class EventSourcedAccountRepository:
    def __init__(self, store: EventStore) -> None:
        self.store = store

    def load(self, account_id: UUID, *, latest: bool = False) -> BankAccount:
        snapshot = self.store.get_snapshot(str(account_id))
        start = _from_snapshot(snapshot) if snapshot else None
        if start is not None and not latest:
            # Written after every append, so nearly always current; when it lags, the append
            # of the version after it hits the unique key and the handler asks for latest.
            return BankAccount.from_snapshot(start)
        events = self.store.read_stream(
            str(account_id), after_version=start.version if start else 0
        )
        return BankAccount.rebuild(account_id, map(from_stored, events), start)

    def save(self, account: BankAccount) -> None:
        # Every command of this aggregate records exactly one event, so one insert is the
        # whole commit: readers see all of a command's effect or none of it.
        for event in account.pull_pending_events():
            try:
                self.store.append(to_stored(event))
            except ConcurrencyError:
                raise ConcurrentUpdate(str(account.id)) from None
        try:
            self.store.save_snapshot(_to_snapshot(account.snapshot()))
        except Exception:  # a cache: losing it costs a longer load, never correctness
            log.exception("could not save the snapshot of account %s", account.id)


def _to_snapshot(state: AccountSnapshot) -> Snapshot:
    return Snapshot(
        aggregate_id=str(state.account_id),
        aggregate_type=AGGREGATE_TYPE,
        version=state.version,
        state={
            "holder": state.holder,
            "account_type": state.account_type,
            "balance": str(state.balance),
            "closed": state.closed,
        },
    )


def _from_snapshot(snapshot: Snapshot) -> AccountSnapshot:
    return AccountSnapshot(
        account_id=UUID(snapshot.aggregate_id),
        version=snapshot.version,
        holder=snapshot.state["holder"],
        account_type=snapshot.state["account_type"],
        balance=Decimal(snapshot.state["balance"]),
        closed=snapshot.state["closed"],
    )
