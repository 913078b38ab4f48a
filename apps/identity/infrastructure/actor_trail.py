"""The actors' trail (identity.ActorAction): every event of every aggregate with who caused it,
written once per event id (a repeat is ignored), from Kafka (`project_users`) or from the
store (`replay_events`)."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from apps.eventstore.records import StoredEvent

from ..domain.user_message import METADATA_HEADERS, Envelope
from ..models import ActorAction


def from_store(event: StoredEvent) -> Envelope:
    """A stored event as the trail takes it: its metadata as the store kept it."""
    metadata = {k: v for k, v in event.metadata.items() if k in METADATA_HEADERS}
    return Envelope(
        UUID(event.event_id),
        event.aggregate_type,
        event.aggregate_id,
        event.version,
        event.event_type,
        event.timestamp,
        event.data,
        metadata,
    )


def record(envelopes: Iterable[Envelope]) -> int:
    """Writes the rows not written yet; how many were offered."""
    rows = [
        ActorAction(
            event_id=e.event_id,
            actor=e.metadata.get("actor", ""),
            aggregate_type=e.aggregate_type,
            aggregate_id=e.aggregate_id,
            version=e.version,
            event_type=e.event_type,
            timestamp=e.timestamp,
            metadata=e.metadata,
        )
        for e in envelopes
    ]
    # At-least-once delivery and replays: the event id is the row's key, a repeat is a no-op.
    ActorAction.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)
