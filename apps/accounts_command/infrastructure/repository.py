"""BankAccount persistence: a snapshot plus the events after it, or this process's cached state;
each new event recorded."""

import logging
import threading
from collections.abc import Callable
from decimal import Decimal
from uuid import UUID

from cachetools import LRUCache

from apps.contract.account_events import AGGREGATE_TYPE
from apps.eventstore.interface import AggregateReader
from apps.eventstore.records import Snapshot, StoredEvent
from kernel import request_context
from kernel.concurrency import ConcurrencyError

from ..domain.account import AccountSnapshot, BankAccount
from ..domain.transfer_rules import InFlight, Role
from .event_codec import from_stored, to_stored
from .stale_cache import StaleCacheRate

log = logging.getLogger(__name__)


class EventSourcedAccountRepository:
    def __init__(
        self,
        store: AggregateReader,  # the store's, or memory.InMemoryEventStore in unit tests
        record: Callable[[StoredEvent], None],
        metadata: Callable[[], dict[str, str]] = request_context.event_metadata,
        checkpoint: Callable[[AccountSnapshot], None] | None = None,
        *,
        cache_size: int = 0,
        snapshot_every: int = 1,
    ) -> None:
        self.store = store
        # recorder.EventRecorder.record in production (outbox, append, publish).
        self.record = record
        # Where an event came from (request id, idempotency key), stored with it.
        self.metadata = metadata
        # Offered every saved state; keeps some for the temporal query (account_timeline.py).
        self.checkpoint = checkpoint
        # The state each account was left in by this process's last command on it. It may be
        # stale (another process wrote since): then the append of the version after it hits
        # the store's unique key, and the handler loads with latest=True. Axon and Marten cache
        # aggregates the same way; it saves the snapshot read on every command. While cached
        # states often turn out stale here (several processes write the same accounts), a load
        # from the cache reads the events after it first instead (stale_cache.py).
        self.cache: LRUCache[UUID, AccountSnapshot] | None = (
            LRUCache(cache_size) if cache_size > 0 else None
        )
        self._cache_lock = threading.Lock()
        self.staleness = StaleCacheRate()
        # A snapshot write every Nth version: a load reads at most N-1 events after it.
        self.snapshot_every = max(1, snapshot_every)

    def load(self, account_id: UUID, *, latest: bool = False) -> BankAccount:
        if not latest and self.cache is not None:
            with self._cache_lock:
                cached = self.cache.get(account_id)
            if cached is not None:
                return self._caught_up(cached)
        snapshot = self.store.get_snapshot(str(account_id))
        if snapshot is not None and snapshot.aggregate_type != AGGREGATE_TYPE:
            return BankAccount(account_id)  # another aggregate's stream: no account
        start = from_snapshot(snapshot) if snapshot else None
        events = self.store.read_stream(
            str(account_id), after_version=start.version if start else 0
        )
        if events and events[0].aggregate_type != AGGREGATE_TYPE:
            return BankAccount(account_id)  # a transfer's id, say: no account has it
        account = BankAccount.rebuild(account_id, map(from_stored, events), start)
        if account.exists:
            self._remember(account.snapshot())
        return account

    def _caught_up(self, cached: AccountSnapshot) -> BankAccount:
        if not self.staleness.read_forward():
            self.staleness.loaded_unread(cached.account_id)
            return BankAccount.from_snapshot(cached)
        newer = self.store.read_stream(str(cached.account_id), after_version=cached.version)
        self.staleness.was_stale(bool(newer))
        if not newer:
            return BankAccount.from_snapshot(cached)
        account = BankAccount.rebuild(cached.account_id, map(from_stored, newer), cached)
        self._remember(account.snapshot())
        return account

    def save(self, account: BankAccount) -> None:
        # Every command of this aggregate records exactly one event, so one insert is the
        # whole commit: readers see all of a command's effect or none of it. A lost race
        # raises kernel.concurrency.ConcurrencyError from the store's unique key.
        try:
            for event in account.pull_pending_events():
                self.record(to_stored(event, self.metadata()))
        except ConcurrencyError:
            self.staleness.appended(account.id, refused=True)
            self._forget(account.id)
            raise
        except BaseException:
            self._forget(account.id)  # stored or not, this process no longer knows
            raise
        self.staleness.appended(account.id, refused=False)
        state = account.snapshot()
        self._remember(state)
        try:
            if state.version % self.snapshot_every == 0:
                self.store.save_snapshot(to_snapshot(state))
            if self.checkpoint is not None:
                self.checkpoint(state)
        except Exception:  # a cache: losing it costs a longer load, never correctness
            log.exception("could not save the snapshot of account %s", account.id)

    def _remember(self, state: AccountSnapshot) -> None:
        if self.cache is not None:
            with self._cache_lock:
                self.cache[state.account_id] = state

    def _forget(self, account_id: UUID) -> None:
        if self.cache is not None:
            with self._cache_lock:
                self.cache.pop(account_id, None)


def to_snapshot(state: AccountSnapshot) -> Snapshot:
    fields = {
        "holder": state.holder,
        "account_type": state.account_type,
        "balance": str(state.balance),
        "closed": state.closed,
    }
    if state.in_flight:  # only accounts with a transfer in flight carry the field
        # Documents, not arrays: FerretDB stores no nested arrays.
        fields["in_flight"] = [
            {
                "transfer_id": str(step.transfer_id),
                "role": step.role.value,
                "amount": str(step.amount),
            }
            for step in state.in_flight
        ]
    return Snapshot(
        aggregate_id=str(state.account_id),
        aggregate_type=AGGREGATE_TYPE,
        version=state.version,
        state=fields,
    )


def from_snapshot(snapshot: Snapshot) -> AccountSnapshot:
    return AccountSnapshot(
        account_id=UUID(snapshot.aggregate_id),
        version=snapshot.version,
        holder=snapshot.state["holder"],
        account_type=snapshot.state["account_type"],
        balance=Decimal(snapshot.state["balance"]),
        closed=snapshot.state["closed"],
        # An older snapshot's "transfer_steps" named steps of transfers long over: not kept.
        in_flight=tuple(
            InFlight(UUID(step["transfer_id"]), Role(step["role"]), Decimal(step["amount"]))
            for step in snapshot.state.get("in_flight", ())
        ),
    )
