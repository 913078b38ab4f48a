"""Transfer persistence: its own stream in the event store, recorded through the outbox."""

from collections.abc import Callable
from uuid import UUID

from apps.contract.transfer_events import AGGREGATE_TYPE, EVENTS, UPCASTERS
from apps.eventstore.records import StoredEvent
from apps.eventstore.store import StreamReads
from apps.eventstore.upcasting import UpcasterChain
from techbank import request_context

from ..domain.transfer import Transfer, TransferEvent


class EventSourcedTransferRepository:
    def __init__(
        self,
        store: StreamReads,
        record: Callable[[StoredEvent], None],
        metadata: Callable[[], dict[str, str]] = request_context.event_metadata,
    ) -> None:
        self.store = store
        self.record = record  # recorder.EventRecorder.record: outbox, append, publish
        self.metadata = metadata

    def load(self, transfer_id: UUID) -> Transfer:
        # Only a Transfer stream is a transfer: an account's id (or any other) is unknown here,
        # and its stream is not read past its first event.
        first = self.store.get(str(transfer_id), 1)
        if first is None or first.aggregate_type != AGGREGATE_TYPE:
            return Transfer(transfer_id)
        events = [first, *self.store.read_stream(str(transfer_id), after_version=1)]
        return Transfer.rebuild(transfer_id, map(from_stored, events))

    def save(self, transfer: Transfer) -> None:
        for event in transfer.pull_pending_events():
            self.record(to_stored(event, self.metadata()))


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


# The store lifts old shapes with the chain its composition root gave it; this lifts them again
# (a no-op then) so that a store built without the transfer upcasters still reads transfers.
_CURRENT_SHAPE = UpcasterChain(UPCASTERS)


def from_stored(stored: StoredEvent) -> TransferEvent:
    _, data = _CURRENT_SHAPE.upcast(stored.event_type, stored.schema_version, dict(stored.data))
    return TransferEvent(
        event_id=UUID(stored.event_id),
        transfer_id=UUID(stored.aggregate_id),
        version=stored.version,
        event_type=stored.event_type,
        timestamp=stored.timestamp,
        data=data,
    )
