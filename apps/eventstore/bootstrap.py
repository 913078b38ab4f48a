"""Builds the event store's parts from settings: one call per process, by its composition root."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from .idempotency import IdempotencyKeys
from .outbox import Outbox
from .publisher import KafkaPublisher
from .reading import EventReader
from .recorder import EventRecorder
from .relay import Relay
from .store import EventStore
from .upcasting import Upcaster, UpcasterChain


@dataclass(frozen=True)
class EventStoreSettings:
    kafka_bootstrap_servers: str
    events_topic: str
    publishing: bool
    outbox_forget_batch: int
    outbox_forget_after_seconds: float
    relay_grace_seconds: float
    relay_orphan_seconds: float
    idempotency_keep_hours: float
    idempotency_lease_seconds: float
    # Aggregate type -> the topic of its events (others: events_topic); each composition root
    # hands it in, so the store itself names no aggregate.
    aggregate_topics: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_django(cls, **overrides: object) -> EventStoreSettings:
        from django.conf import settings

        values = {
            "kafka_bootstrap_servers": settings.KAFKA_BOOTSTRAP_SERVERS,
            "events_topic": settings.KAFKA_EVENTS_TOPIC,
            "publishing": settings.EVENT_PUBLISHING,
            "outbox_forget_batch": settings.OUTBOX_FORGET_BATCH,
            "outbox_forget_after_seconds": settings.OUTBOX_FORGET_AFTER_SECONDS,
            "relay_grace_seconds": settings.RELAY_GRACE_SECONDS,
            "relay_orphan_seconds": settings.RELAY_ORPHAN_SECONDS,
            "idempotency_keep_hours": settings.IDEMPOTENCY_KEY_HOURS,
            "idempotency_lease_seconds": settings.IDEMPOTENCY_LEASE_SECONDS,
        }
        return cls(**{**values, **overrides})  # type: ignore[arg-type]


@dataclass(frozen=True)
class EventStoreParts:
    settings: EventStoreSettings
    store: EventStore
    outbox: Outbox
    publisher: KafkaPublisher
    recorder: EventRecorder
    reader: EventReader
    idempotency: IdempotencyKeys

    def relay(self, grace_seconds: float | None = None) -> Relay:
        grace = self.settings.relay_grace_seconds if grace_seconds is None else grace_seconds
        return Relay(
            self.store,
            self.outbox,
            self.publisher,
            grace_seconds=grace,
            orphan_seconds=self.settings.relay_orphan_seconds,
        )

    def close(self, timeout: float = 5.0) -> None:
        """Waits for outstanding acknowledgements and deletes their markers."""
        self.publisher.close(timeout)
        self.outbox.forget_acknowledged()


def build(
    settings: EventStoreSettings, upcasters: Mapping[tuple[str, int], Upcaster] | None = None
) -> EventStoreParts:
    """The store, its outbox, publisher, recorder and reader; `upcasters` lift old shapes."""
    store = EventStore(UpcasterChain(upcasters))
    outbox = Outbox(settings.outbox_forget_batch, settings.outbox_forget_after_seconds)
    publisher = KafkaPublisher(
        settings.kafka_bootstrap_servers, settings.events_topic, settings.aggregate_topics
    )
    recorder = EventRecorder(store, outbox, publisher if settings.publishing else None)
    idempotency = IdempotencyKeys(
        store,
        keep=timedelta(hours=settings.idempotency_keep_hours),
        lease=timedelta(seconds=settings.idempotency_lease_seconds),
    )
    return EventStoreParts(
        settings, store, outbox, publisher, recorder, EventReader(store), idempotency
    )
