"""Transfer persistence: its own stream in the event store, recorded through the outbox.

A process that reacts to a transfer again and again (run_transfers: once per step) keeps the
events it has read or recorded of each transfer in flight (`cache_size`), and reads only the
events after them: one lookup, the miss that says the stream ends there, instead of one per
event. What it loads is still the stream's latest state; the cache only spares the re-reading.
"""

import threading
from collections.abc import Callable
from uuid import UUID

from cachetools import LRUCache

from apps.contract.transfer_events import AGGREGATE_TYPE, EVENTS
from apps.eventstore.interface import StreamReader
from apps.eventstore.records import StoredEvent
from kernel import request_context

from ..domain.transfer import Transfer, TransferEvent


class EventSourcedTransferRepository:
    def __init__(
        self,
        store: StreamReader,
        record: Callable[[StoredEvent], None],
        metadata: Callable[[], dict[str, str]] = request_context.event_metadata,
        cache_size: int = 0,
    ) -> None:
        self.store = store
        self.record = record  # recorder.EventRecorder.record: outbox, append, publish
        self.metadata = metadata
        self._known: LRUCache[UUID, list[TransferEvent]] | None = (
            LRUCache(cache_size) if cache_size > 0 else None
        )
        self._lock = threading.Lock()

    def load(self, transfer_id: UUID) -> Transfer:
        known = self._recall(transfer_id)
        if known:
            later = self.store.read_stream(str(transfer_id), after_version=len(known))
            events = [*known, *map(from_stored, later)]
        else:
            # Only a Transfer stream is a transfer: an account's id (or any other) is unknown
            # here, and its stream is not read past its first event.
            first = self.store.get(str(transfer_id), 1)
            if first is None or first.aggregate_type != AGGREGATE_TYPE:
                return Transfer(transfer_id)
            later = self.store.read_stream(str(transfer_id), after_version=1)
            events = [from_stored(first), *map(from_stored, later)]
        transfer = Transfer.rebuild(transfer_id, events)
        self._remember(transfer, events)
        return transfer

    def save(self, transfer: Transfer) -> None:
        pending = transfer.pull_pending_events()
        for event in pending:
            self.record(to_stored(event, self.metadata()))
        known = self._recall(transfer.id)
        if known and pending and pending[0].version == len(known) + 1:
            self._remember(transfer, [*known, *pending])

    def _recall(self, transfer_id: UUID) -> list[TransferEvent]:
        if self._known is None:
            return []
        with self._lock:
            return self._known.get(transfer_id, [])

    def _remember(self, transfer: Transfer, events: list[TransferEvent]) -> None:
        if self._known is None:
            return
        with self._lock:
            if transfer.final:  # no reaction will load it again
                self._known.pop(transfer.id, None)
            else:
                self._known[transfer.id] = events


def to_stored(event: TransferEvent, metadata: dict[str, str]) -> StoredEvent:
    return StoredEvent(
        event_id=str(event.event_id),
        aggregate_id=str(event.transfer_id),
        aggregate_type=AGGREGATE_TYPE,
        version=event.version,
        event_type=event.event_type,
        schema_version=EVENTS[event.event_type].schema_version,
        data=dict(event.data),
        timestamp=event.timestamp,
        metadata=metadata,
    )


def from_stored(stored: StoredEvent) -> TransferEvent:
    # In its current shape already: every process's store lifts old shapes with every
    # aggregate's upcasters (apps/store_parts.py), the one place they are applied.
    return TransferEvent(
        event_id=UUID(stored.event_id),
        transfer_id=UUID(stored.aggregate_id),
        version=stored.version,
        event_type=stored.event_type,
        timestamp=stored.timestamp,
        data=dict(stored.data),
        metadata=dict(stored.metadata),
    )
