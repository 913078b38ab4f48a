"""The event store: append with optimistic concurrency, read streams, read everything.

Every hot path is a lookup by `_id` (see records.event_key): the MongoDB-protocol server we
run locally, FerretDB on SQLite, serves only that from an index. Appending knows nothing of
publishing: recorder.py puts the outbox around it.

A stream's range is one query or one lookup per version, as the server serves it best
(stream_range.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import suppress
from itertools import islice
from typing import Any

from pymongo.collection import Collection
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure, WriteError

from kernel.concurrency import ConcurrencyError, EventAlreadyStored

from .documents import (
    EventDocument,
    IdempotencyKey,
    PendingPublication,
    SnapshotDocument,
    from_document,
    to_document,
)
from .interface import read_by_versions
from .observers import Observers
from .prefetch import prefetched
from .records import Snapshot, StoredEvent, event_key
from .refusals import refusal
from .stream_range import read_range, serves_ranges
from .upcasting import UpcasterChain

DUPLICATE_KEY = 11000


class MongoEventStore:
    """interface.ApplicationRecorder on the MongoDB-protocol server (FerretDB here)."""

    def __init__(
        self,
        upcasters: UpcasterChain | None = None,
        observers: Observers | None = None,
        range_reads: bool | None = None,
    ) -> None:
        self.upcasters = upcasters or UpcasterChain()
        # Read once here: append is the hot path.
        self._appended = (observers or Observers()).appended
        self._range_reads = range_reads

    @property
    def range_reads(self) -> bool:
        """Whether a stream's range is one query (None at first: the server is asked once)."""
        if self._range_reads is None:
            self._range_reads = serves_ranges(self.events)
        return self._range_reads

    @property
    def events(self) -> Collection:
        return EventDocument._get_collection()

    @property
    def snapshots(self) -> Collection:
        return SnapshotDocument._get_collection()

    # --- writing ------------------------------------------------------------------------
    def append(self, event: StoredEvent) -> None:
        """Stores `event` as its stream's next version.

        Raises ConcurrencyError if that version exists: the unique `_id` (and the unique
        (aggregate_id, version) index) make the database refuse the loser of a race; and
        EventAlreadyStored if an event with its event_id is stored elsewhere.
        """
        started = time.perf_counter()
        try:
            self.events.insert_one(to_document(event))
        except DuplicateKeyError:
            refused = refusal(self.events, event)
            if refused is not None:
                raise refused from None
        self._appended(time.perf_counter() - started)

    def append_all(self, events: list[StoredEvent]) -> list[Exception | None]:
        """append() for events of different streams in one round trip; what each one met.

        Unordered, so a lost race refuses only the event that lost it. Events of one stream
        must not share a call: their versions would not be checked in order.
        """
        if len(events) == 1:
            try:
                self.append(events[0])
            except (ConcurrencyError, EventAlreadyStored, WriteError) as refused:
                return [refused]
            return [None]
        started = time.perf_counter()
        outcomes: list[Exception | None] = [None] * len(events)
        try:
            self.events.insert_many([to_document(e) for e in events], ordered=False)
        except BulkWriteError as exc:
            # Each refused event gets its own error; the others are stored all the same.
            for error in exc.details.get("writeErrors", []):
                event, code = events[error["index"]], error.get("code")
                outcomes[error["index"]] = (
                    refusal(self.events, event)
                    if code == DUPLICATE_KEY
                    else WriteError(error.get("errmsg", "write refused"), code, error)
                )
        elapsed = time.perf_counter() - started
        for _ in events:  # each waited for the whole round trip
            self._appended(elapsed)
        return outcomes

    def save_snapshot(self, snapshot: Snapshot) -> None:
        # Filtered by _id alone, the one filter FerretDB serves from an index. A slower writer
        # may put back an older snapshot; loading then reads a few more events, nothing worse.
        with suppress(DuplicateKeyError):  # two first snapshots racing: either will do
            self.snapshots.replace_one(
                {"_id": snapshot.aggregate_id},
                {
                    "aggregate_type": snapshot.aggregate_type,
                    "version": snapshot.version,
                    "state": snapshot.state,
                },
                upsert=True,
            )

    # --- reading ------------------------------------------------------------------------
    def get(self, aggregate_id: str, version: int) -> StoredEvent | None:
        doc = self.events.find_one({"_id": event_key(aggregate_id, version)})
        return self._from_document(doc) if doc else None

    def read_stream(
        self, aggregate_id: str, after_version: int = 0, limit: int | None = None
    ) -> list[StoredEvent]:
        if not self.range_reads:
            # One lookup by `_id` per version: any range would scan the collection here.
            return read_by_versions(self.get, aggregate_id, after_version, limit)
        return read_range(self.events, aggregate_id, after_version, limit, self._from_document)

    def get_snapshot(self, aggregate_id: str) -> Snapshot | None:
        doc = self.snapshots.find_one({"_id": aggregate_id})
        if doc is None:
            return None
        return Snapshot(aggregate_id, doc["aggregate_type"], doc["version"], doc["state"])

    def read_all(self, batch_size: int = 1000) -> Iterator[list[StoredEvent]]:
        """Every event, in batches, in `_id` order: stream by stream, each in version order.

        A defined order, not whatever the server returns: a reader that resumes or compares
        two reads sees the same sequence (keys pad the version, so they sort as versions do).
        """
        yield from self._batches(
            self.events.find({}, batch_size=batch_size).sort("_id", 1), batch_size
        )

    def scan(self, batch_size: int = 1000) -> Iterator[list[StoredEvent]]:
        """Every event, in batches, in the order stored: the cheapest full read.

        Unsorted, so the server streams it batch by batch. Sorted by `_id` (read_all), FerretDB
        on SQLite reads and sorts the whole collection in memory before the first batch
        (1,000,000 events: minutes, far past MONGODB_SOCKET_TIMEOUT_MS). Events are only ever
        inserted, a stream's next version after its last, so the stored order is nearly always
        each stream's version order; a reader that needs version order must not rely on it.
        """
        for documents in prefetched(self.events.find({}, batch_size=batch_size), batch_size):
            yield [self._from_document(doc) for doc in documents]

    def count(self) -> int:
        """How many events are stored, from the collection's metadata (not a scan)."""
        try:
            # FerretDB on SQLite answers the `count` command behind estimated_document_count
            # by reading every document (5 s per 100,000); $collStats it answers at once.
            stats = list(self.events.aggregate([{"$collStats": {"count": {}}}]))
        except OperationFailure:
            return self.events.estimated_document_count()
        return sum(s.get("count", 0) for s in stats)  # one per shard on a sharded cluster

    def find_by_idempotency_key(self, key: str) -> StoredEvent | None:
        # Not served from an index on FerretDB, but only asked after a request died.
        doc = self.events.find_one({"metadata.idempotency_key": key})
        return self._from_document(doc) if doc else None

    def _batches(self, cursor: Iterable[dict[str, Any]], size: int) -> Iterator[list[StoredEvent]]:
        docs = iter(cursor)
        while batch := [self._from_document(doc) for doc in islice(docs, size)]:
            yield batch

    def _from_document(self, doc: dict[str, Any]) -> StoredEvent:
        return from_document(doc, self.upcasters)


def ensure_indexes() -> None:
    for document in (EventDocument, SnapshotDocument, PendingPublication, IdempotencyKey):
        document.ensure_indexes()
