"""Builds the event store's parts from settings: the one factory every composition root calls.

    parts = bootstrap.build(EventStoreSettings.from_django(...), upcasters, observers)

Each part is built when a process first asks for it, so a process gets only what it uses:
the replay reads (`reader`) and never builds a Kafka publisher or an outbox; a process that
records builds the outbox, and the publisher only where EVENT_PUBLISHING is on. A composition
root asks for its parts while it wires the process, in one thread, before anything runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from apps.contract.signing import Keyring, keyring

from .idempotency import IdempotencyKeys
from .observers import Observers
from .outbox import Outbox
from .publisher import KafkaPublisher
from .reading import EventReader
from .recorder import EventRecorder
from .relay import Relay
from .store import MongoEventStore
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
    keyring: Keyring  # signs every published event (apps/contract/signing.py)
    # Aggregate type -> the topic of its events (others: events_topic); each composition root
    # hands it in (apps/contract/routes.py), so the store itself names no aggregate.
    aggregate_topics: Mapping[str, str] = field(default_factory=dict)
    # A stream's range in one query (True), by lookups (False), or as the server serves (None).
    range_reads: bool | None = None

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
            "keyring": keyring(settings),
            "range_reads": settings.EVENT_STORE_RANGE_READS,
        }
        return cls(**{**values, **overrides})


class EventStoreParts:
    """The store and what stands around it, each built on first use."""

    def __init__(
        self, settings: EventStoreSettings, upcasters: UpcasterChain, observers: Observers
    ) -> None:
        self.settings = settings
        self.upcasters = upcasters
        self.observers = observers

    @cached_property
    def store(self) -> MongoEventStore:
        return MongoEventStore(self.upcasters, self.observers, self.settings.range_reads)

    @cached_property
    def outbox(self) -> Outbox:
        return Outbox(self.settings.outbox_forget_batch, self.settings.outbox_forget_after_seconds)

    @cached_property
    def publisher(self) -> KafkaPublisher:
        s = self.settings
        return KafkaPublisher(
            s.kafka_bootstrap_servers, s.events_topic, s.keyring, s.aggregate_topics
        )

    @cached_property
    def recorder(self) -> EventRecorder:
        # Without publishing only the relay publishes: no publisher is built for the recorder.
        publisher = self.publisher if self.settings.publishing else None
        return EventRecorder(self.store, self.outbox, publisher)

    @cached_property
    def reader(self) -> EventReader:
        return EventReader(self.store)

    @cached_property
    def idempotency(self) -> IdempotencyKeys:
        return IdempotencyKeys(
            self.store,
            keep=timedelta(hours=self.settings.idempotency_keep_hours),
            lease=timedelta(seconds=self.settings.idempotency_lease_seconds),
        )

    def relay(self, grace_seconds: float | None = None) -> Relay:
        grace = self.settings.relay_grace_seconds if grace_seconds is None else grace_seconds
        return Relay(
            self.store,
            self.outbox,
            self.publisher,
            grace_seconds=grace,
            orphan_seconds=self.settings.relay_orphan_seconds,
            observers=self.observers,
        )

    def close(self, timeout: float = 5.0) -> None:
        """Waits for outstanding acknowledgements and deletes their markers (of the parts
        this process built: closing builds nothing)."""
        if "publisher" in self.__dict__:
            self.publisher.close(timeout)
        if "outbox" in self.__dict__:
            self.outbox.forget_acknowledged()


def build(
    settings: EventStoreSettings,
    upcasters: Mapping[tuple[str, int], Upcaster] | None = None,
    observers: Observers | None = None,
) -> EventStoreParts:
    """The store's parts, none built yet; `upcasters` lift old shapes, `observers` hear how
    appends and the relay go (both handed in by the composition root)."""
    return EventStoreParts(settings, UpcasterChain(upcasters), observers or Observers())
