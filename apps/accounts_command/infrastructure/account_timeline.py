"""The temporal query's reads of the event store: events by version, snapshot and checkpoints.

Every read is a lookup by `_id`: on FerretDB a range or `$in` on `_id` scans the collection
(measured: 3.5 s on a 13,000-event store, against 3 ms for one lookup), so a fold of n events
costs n lookups. Checkpoints bound n: the repository saves the state at every multiple of
CHECKPOINT_EVERY versions, and a fold that finds one missing (a stream older than
checkpoints) saves those it passes, so each stretch is folded the long way once.
"""

from collections.abc import Callable, Iterator
from uuid import UUID

from apps.contract.account_events import AGGREGATE_TYPE
from apps.eventstore.checkpoints import Checkpoints
from apps.eventstore.interface import AggregateReader, ApplicationRecorder

from ..domain.account import AccountSnapshot, BankAccount
from ..domain.events import DomainEvent
from .event_codec import from_stored
from .repository import from_snapshot, to_snapshot

# At most this many - 1 events are read past the nearest checkpoint (about 3-6 ms a lookup on
# a 10,000-event store), at the price of one more insert per this many commands. 25 measured
# 155 ms p50 for the farthest version of a 10,000-event history (bench/as_of_latency.py).
CHECKPOINT_EVERY = 10


class StoreAccountTimeline:
    def __init__(self, store: AggregateReader, checkpoints: Checkpoints) -> None:
        self.store = store
        self.checkpoints = checkpoints

    def event(self, account_id: UUID, version: int) -> DomainEvent | None:
        stored = self.store.get(str(account_id), version)
        # Another aggregate's stream (a transfer's id asked for as an account's) has no account.
        if stored is None or stored.aggregate_type != AGGREGATE_TYPE:
            return None
        return from_stored(stored)

    def events(self, account_id: UUID, after: int, until: int) -> Iterator[DomainEvent]:
        for version in range(after + 1, until + 1):
            event = self.event(account_id, version)
            if event is None:  # the stream ends here: nothing to fold past it
                return
            yield event

    def start_at(self, account_id: UUID, version: int) -> AccountSnapshot | None:
        best = None
        latest = self.store.get_snapshot(str(account_id))
        if latest is not None and latest.version <= version:
            best = latest
        below = version - version % CHECKPOINT_EVERY
        if below and (best is None or best.version < below):
            best = self.checkpoints.get(str(account_id), below) or best
        return from_snapshot(best) if best else None

    def passed(self, state: AccountSnapshot) -> None:
        if state.version % CHECKPOINT_EVERY == 0:
            self.checkpoints.save(to_snapshot(state))

    def last_version(self, account_id: UUID) -> int:
        # From the snapshot (written after every append, so at or near the end), probe forward
        # in doubling steps, then halve the gap: O(log n) lookups even without a snapshot.
        aggregate = str(account_id)
        latest = self.store.get_snapshot(aggregate)
        low, step = (latest.version if latest else 0), 1
        while self.store.get(aggregate, low + step) is not None:
            low, step = low + step, step * 2
        high = low + step  # known to be missing
        while high - low > 1:
            middle = (low + high) // 2
            if self.store.get(aggregate, middle) is not None:
                low = middle
            else:
                high = middle
        return low


def build_checkpoints(
    store: ApplicationRecorder,
    timeline: StoreAccountTimeline,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Folds every stream once and saves the checkpoints a stream older than them lacks;
    returns how many events were folded. `progress` is told the size of each batch read
    (every aggregate's events).

    One read of the whole store in the order stored: sorted by `_id`, FerretDB on SQLite reads
    and sorts every event in memory before the first batch, which at 1,000,000 events never
    comes within the socket timeout. Each account's state is kept until the read ends (a few
    hundred bytes an account), and an event stored before its predecessor waits for it."""
    folding = Folding(timeline)
    for batch in store.scan():
        for stored in batch:
            if stored.aggregate_type == AGGREGATE_TYPE:  # not a transfer's or a user's stream
                folding.put(from_stored(stored))
        if progress:
            progress(len(batch))
    return folding.folded


class Folding:
    """Every account's state so far, folded from its events in version order."""

    def __init__(self, timeline: StoreAccountTimeline) -> None:
        self.timeline = timeline
        self.accounts: dict[UUID, BankAccount] = {}
        self.early: dict[UUID, dict[int, DomainEvent]] = {}
        self.folded = 0

    def put(self, event: DomainEvent | None) -> None:
        while event is not None:
            account = self.accounts.get(event.aggregate_id)
            if event.version > (account.version if account else 0) + 1:
                self.early.setdefault(event.aggregate_id, {})[event.version] = event
                return
            if account is None:
                account = self.accounts[event.aggregate_id] = BankAccount(event.aggregate_id)
            account.apply(event)
            self.timeline.passed(account.snapshot())
            self.folded += 1
            event = self.early.get(event.aggregate_id, {}).pop(event.version + 1, None)
