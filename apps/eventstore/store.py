"""The event store: append with optimistic concurrency, read streams, read everything.

Every hot path is a lookup by `_id` (see records.event_key): the MongoDB-protocol server we
run locally, FerretDB on SQLite, serves only that from an index.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any, Protocol

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError, OperationFailure

from techbank.ops.metrics import observe_append

from .documents import EventDocument, PendingPublication, SnapshotDocument
from .errors import ConcurrencyError
from .records import Snapshot, StoredEvent, event_key
from .upcasting import UpcasterChain, upcasters

log = logging.getLogger(__name__)

# Markers of acknowledged events are deleted in one round trip once this many are waiting, or
# once the oldest has waited this long (well inside RELAY_GRACE_SECONDS).
FORGET_BATCH = 500
FORGET_AFTER_SECONDS = 0.2


class Publisher(Protocol):
    def publish(self, event: StoredEvent, on_delivered: Callable[[], None]) -> None: ...

    def after_delivery(self, listener: Callable[[bool], object]) -> None: ...


def to_document(event: StoredEvent) -> dict[str, Any]:
    return {
        "_id": event.key,
        "event_id": event.event_id,
        "aggregate_id": event.aggregate_id,
        "aggregate_type": event.aggregate_type,
        "version": event.version,
        "event_type": event.event_type,
        "schema_version": event.schema_version,
        "data": event.data,
        "timestamp": event.timestamp,
    }


class EventStore:
    def __init__(
        self, publisher: Publisher | None = None, upcaster_chain: UpcasterChain = upcasters
    ) -> None:
        self.publisher = publisher
        self.upcasters = upcaster_chain
        self._acknowledged: list[str] = []
        self._first_acknowledged = 0.0
        self._ack_lock = threading.Lock()
        if publisher is not None:
            publisher.after_delivery(self.after_delivery_round)

    @property
    def events(self) -> Collection:
        return EventDocument._get_collection()

    @property
    def snapshots(self) -> Collection:
        return SnapshotDocument._get_collection()

    @property
    def pending(self) -> Collection:
        return PendingPublication._get_collection()

    # --- writing ------------------------------------------------------------------------
    def append(self, event: StoredEvent) -> None:
        """Store `event` as its stream's next version, then publish it.

        Raises ConcurrencyError if that version exists: the unique `_id` (and the unique
        (aggregate_id, version) index) make the database refuse the loser of a race.
        """
        started = time.perf_counter()  # observability: techbank_eventstore_append_duration_seconds
        token = uuid.uuid4().hex
        self.pending.insert_one(
            {"_id": token, "event_key": event.key, "created_at": datetime.now(UTC)}
        )
        try:
            self.events.insert_one(to_document(event))
        except DuplicateKeyError:
            self.pending.delete_one({"_id": token})
            raise ConcurrencyError(event.aggregate_id, event.version) from None
        observe_append(time.perf_counter() - started)
        if self.publisher is not None:
            self.publisher.publish(event, lambda: self.acknowledge(token))

    def acknowledge(self, token: str) -> None:
        """Kafka has the event: its marker may go (the event itself is never touched)."""
        with self._ack_lock:
            if not self._acknowledged:
                self._first_acknowledged = time.monotonic()
            self._acknowledged.append(token)

    def after_delivery_round(self, final: bool) -> None:
        # Under load a round holds one or two acknowledgements; deleting their markers every
        # round would cost each command another round trip. A marker kept a little longer
        # costs at worst a duplicate from the relay, which the consumers skip.
        with self._ack_lock:
            due = bool(self._acknowledged) and (
                final
                or len(self._acknowledged) >= FORGET_BATCH
                or time.monotonic() - self._first_acknowledged >= FORGET_AFTER_SECONDS
            )
        if due:
            self.forget_acknowledged()

    def forget_acknowledged(self) -> None:
        """Deletes the markers of acknowledged events, one round trip for a whole round."""
        with self._ack_lock:
            tokens, self._acknowledged = self._acknowledged, []
        if len(tokens) == 1:
            self.pending.delete_one({"_id": tokens[0]})
        elif tokens:
            # $in is not served by an index here, but only in-flight markers are in there.
            self.pending.delete_many({"_id": {"$in": tokens}})

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
        """The stream's events after `after_version`, in version order."""
        found: list[StoredEvent] = []
        version = after_version + 1
        while limit is None or len(found) < limit:
            event = self.get(aggregate_id, version)
            if event is None:
                break
            found.append(event)
            version += 1
        return found

    def get_snapshot(self, aggregate_id: str) -> Snapshot | None:
        doc = self.snapshots.find_one({"_id": aggregate_id})
        if doc is None:
            return None
        return Snapshot(aggregate_id, doc["aggregate_type"], doc["version"], doc["state"])

    def read_all(self, batch_size: int = 1000) -> Iterator[list[StoredEvent]]:
        """Every event, in batches, in the order they were appended.

        Append order is a stable global order that keeps each stream's versions in order:
        version n+1 can only be inserted once version n exists.
        """
        batch: list[StoredEvent] = []
        for doc in self.events.find({}, batch_size=batch_size):
            batch.append(self._from_document(doc))
            if len(batch) >= batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def count(self) -> int:
        """How many events are stored, from the collection's metadata (not a scan)."""
        try:
            # FerretDB on SQLite answers the `count` command behind estimated_document_count
            # by reading every document (5 s per 100,000); $collStats it answers at once.
            stats = list(self.events.aggregate([{"$collStats": {"count": {}}}]))
        except OperationFailure:
            return self.events.estimated_document_count()
        return sum(s.get("count", 0) for s in stats)  # one per shard on a sharded cluster

    def _from_document(self, doc: dict[str, Any]) -> StoredEvent:
        schema, data = self.upcasters.upcast(doc["event_type"], doc["schema_version"], doc["data"])
        timestamp: datetime = doc["timestamp"]
        return StoredEvent(
            event_id=doc["event_id"],
            aggregate_id=doc["aggregate_id"],
            aggregate_type=doc["aggregate_type"],
            version=doc["version"],
            event_type=doc["event_type"],
            schema_version=schema,
            data=data,
            timestamp=timestamp if timestamp.tzinfo else timestamp.replace(tzinfo=UTC),
        )


def ensure_indexes() -> None:
    for document in (EventDocument, SnapshotDocument, PendingPublication):
        document.ensure_indexes()
