"""The event store's interface: what each of its users needs, as protocols.

Named after eventsourcing's recorders (its persistence.py): an aggregate recorder appends to
and reads one aggregate's stream; an application recorder also reads every stream at once.
Two implementations keep them, store.MongoEventStore (FerretDB) and memory.InMemoryEventStore;
tests/integration/event_store_contract.py holds the one suite both pass. Every user types
against the narrowest protocol it needs, never against an implementation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

from .records import Snapshot, StoredEvent


class StreamReader(Protocol):
    """One aggregate's stream, read by version (the relay, the audit log, the transfers)."""

    def get(self, aggregate_id: str, version: int) -> StoredEvent | None:
        """The stream's event at `version`; None if the stream has none there."""

    def read_stream(
        self, aggregate_id: str, after_version: int = 0, limit: int | None = None
    ) -> list[StoredEvent]:
        """The stream's events after `after_version`, in version order, up to its first gap
        and at most `limit` of them. One query where the server serves a range from an index
        (MongoDB, memory); one lookup per version where it serves only lookups (FerretDB on
        SQLite: store.MongoEventStore.range_reads)."""


class AggregateReader(StreamReader, Protocol):
    """A stream and the aggregate's latest snapshot (the account repository and timeline)."""

    def get_snapshot(self, aggregate_id: str) -> Snapshot | None: ...

    def save_snapshot(self, snapshot: Snapshot) -> None:
        """Replaces the aggregate's snapshot; a cache, so the last writer wins."""


class AggregateRecorder(AggregateReader, Protocol):
    """Appends to streams with optimistic concurrency (the recorder in front of the outbox)."""

    def append(self, event: StoredEvent) -> None:
        """Stores `event` as its stream's version `event.version`.

        Raises kernel.concurrency.ConcurrencyError if another event holds that version, and
        EventAlreadyStored if an event with its event_id is stored anywhere; the very same
        event appended again (a retry whose first try was stored) is no error.
        """

    def append_all(self, events: list[StoredEvent]) -> list[Exception | None]:
        """append() for events of different streams at once: what each one met, in order."""


class ApplicationRecorder(AggregateRecorder, Protocol):
    """Every stream at once: replay, checkpoints, the public reader, idempotency recovery."""

    def read_all(self, batch_size: int = 1000) -> Iterator[list[StoredEvent]]:
        """Every event in batches, by key: stream by stream, each in version order."""

    def scan(self, batch_size: int = 1000) -> Iterator[list[StoredEvent]]:
        """Every event in batches, in the order stored: the cheapest full read."""

    def count(self) -> int:
        """How many events are stored."""

    def find_by_idempotency_key(self, key: str) -> StoredEvent | None:
        """The first event stored with this idempotency key in its metadata, if any."""


def read_by_versions(
    get: Callable[[str, int], StoredEvent | None],
    aggregate_id: str,
    after_version: int = 0,
    limit: int | None = None,
) -> list[StoredEvent]:
    """read_stream as lookups of one version after another, until the first missing one.

    The memory store reads a stream this way, and the MongoDB-protocol store where the server
    serves nothing but a lookup by `_id` from an index (FerretDB on SQLite); a range read keeps
    the same meaning of a gap.
    """
    found: list[StoredEvent] = []
    version = after_version + 1
    while limit is None or len(found) < limit:
        event = get(aggregate_id, version)
        if event is None:
            break
        found.append(event)
        version += 1
    return found
