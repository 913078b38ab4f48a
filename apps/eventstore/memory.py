"""An event store in memory: interface.ApplicationRecorder, with store.MongoEventStore's
guarantees (a version and an event id are stored once), and no I/O.

For unit tests of the command handlers; tests/integration/event_store_contract.py holds the one
suite that both stores pass (tests/integration/test_event_store_contract.py runs it on each).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace

from kernel.concurrency import ConcurrencyError, EventAlreadyStored

from .interface import read_by_versions
from .records import Snapshot, StoredEvent
from .upcasting import UpcasterChain


class InMemoryEventStore:
    def __init__(self, upcasters: UpcasterChain | None = None) -> None:
        self.upcasters = upcasters or UpcasterChain()
        self._streams: dict[str, dict[int, StoredEvent]] = {}  # aggregate id -> version -> event
        self._log: list[StoredEvent] = []  # in the order stored
        self._snapshots: dict[str, Snapshot] = {}
        self._event_ids: set[str] = set()
        self._lock = threading.Lock()

    # --- writing ------------------------------------------------------------------------
    def append(self, event: StoredEvent) -> None:
        with self._lock:
            stream = self._streams.setdefault(event.aggregate_id, {})
            # Like the unique key: a taken version is refused; a gap is not the store's concern.
            taken = stream.get(event.version)
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
            stream[event.version] = event
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

    def save_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshots[snapshot.aggregate_id] = snapshot

    # --- reading ------------------------------------------------------------------------
    def get(self, aggregate_id: str, version: int) -> StoredEvent | None:
        event = self._streams.get(aggregate_id, {}).get(version)
        return self._upcast(event) if event is not None else None

    def read_stream(
        self, aggregate_id: str, after_version: int = 0, limit: int | None = None
    ) -> list[StoredEvent]:
        return read_by_versions(self.get, aggregate_id, after_version, limit)

    def get_snapshot(self, aggregate_id: str) -> Snapshot | None:
        return self._snapshots.get(aggregate_id)

    def read_all(self, batch_size: int = 1000) -> Iterator[list[StoredEvent]]:
        yield from self._batches(sorted(self._stored(), key=lambda e: e.key), batch_size)

    def scan(self, batch_size: int = 1000) -> Iterator[list[StoredEvent]]:
        yield from self._batches(self._stored(), batch_size)

    def count(self) -> int:
        return len(self._log)

    def find_by_idempotency_key(self, key: str) -> StoredEvent | None:
        for event in self._stored():
            if event.metadata.get("idempotency_key") == key:
                return self._upcast(event)
        return None

    def _stored(self) -> list[StoredEvent]:
        with self._lock:  # a copy: appends may go on while a reader walks it
            return list(self._log)

    def _batches(self, events: list[StoredEvent], size: int) -> Iterator[list[StoredEvent]]:
        for start in range(0, len(events), size):
            yield [self._upcast(e) for e in events[start : start + size]]

    def _upcast(self, event: StoredEvent) -> StoredEvent:
        schema, data = self.upcasters.upcast(event.event_type, event.schema_version, event.data)
        if schema == event.schema_version:
            return event
        return replace(event, schema_version=schema, data=data)
