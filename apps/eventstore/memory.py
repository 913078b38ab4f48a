"""An event store in memory: the same interface and guarantees as store.EventStore, no I/O.

For unit tests of the command handlers; tests/contracts run one suite against both.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

from kernel.concurrency import ConcurrencyError, EventAlreadyStored

from .records import Snapshot, StoredEvent
from .store import StreamReads
from .upcasting import UpcasterChain


class InMemoryEventStore(StreamReads):
    def __init__(self, upcasters: UpcasterChain | None = None) -> None:
        self.upcasters = upcasters or UpcasterChain()
        self._streams: dict[str, list[StoredEvent]] = {}
        self._log: list[StoredEvent] = []
        self._snapshots: dict[str, Snapshot] = {}
        self._event_ids: set[str] = set()
        self._lock = threading.Lock()

    def append(self, event: StoredEvent) -> None:
        with self._lock:
            stream = self._streams.setdefault(event.aggregate_id, [])
            # Like the unique key: a taken version is refused; a gap is not the store's concern.
            taken = next((e for e in stream if e.version == event.version), None)
            if taken is not None:
                if (taken.event_id, taken.event_type) == (event.event_id, event.event_type):
                    return  # this very event, stored by an earlier try
                if taken.event_id == event.event_id:
                    raise EventAlreadyStored(event.event_id)
                raise ConcurrencyError(event.aggregate_id, event.version)
            # Like the unique key on event ids: an event is stored once ever.
            if event.event_id in self._event_ids:
                raise EventAlreadyStored(event.event_id)
            self._event_ids.add(event.event_id)
            stream.append(event)
            stream.sort(key=lambda e: e.version)
            self._log.append(event)

    def append_all(self, events: list[StoredEvent]) -> list[Exception | None]:
        outcomes: list[Exception | None] = []
        for event in events:
            try:
                self.append(event)
                outcomes.append(None)
            except (ConcurrencyError, EventAlreadyStored) as refused:
                outcomes.append(refused)
        return outcomes

    def get(self, aggregate_id: str, version: int) -> StoredEvent | None:
        for event in self._streams.get(aggregate_id, []):
            if event.version == version:
                return self._upcast(event)
        return None

    def read_all(self, batch_size: int = 1000) -> Iterator[list[StoredEvent]]:
        events = [self._upcast(e) for e in sorted(self._log, key=lambda e: e.key)]
        for start in range(0, len(events), batch_size):
            yield events[start : start + batch_size]

    def scan(self, batch_size: int = 1000) -> Iterator[list[StoredEvent]]:
        events = [self._upcast(e) for e in self._log]
        for start in range(0, len(events), batch_size):
            yield events[start : start + batch_size]

    def count(self) -> int:
        return len(self._log)

    def save_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshots[snapshot.aggregate_id] = snapshot

    def get_snapshot(self, aggregate_id: str) -> Snapshot | None:
        return self._snapshots.get(aggregate_id)

    def _upcast(self, event: StoredEvent) -> StoredEvent:
        schema, data = self.upcasters.upcast(event.event_type, event.schema_version, event.data)
        if schema == event.schema_version:
            return event
        return StoredEvent(
            event.event_id,
            event.aggregate_id,
            event.aggregate_type,
            event.version,
            event.event_type,
            schema,
            data,
            event.timestamp,
            event.metadata,
        )
