"""Recording an event: the one place that states how a stored event reaches Kafka.

mark (outbox) → append (event store) → publish (Kafka) → acknowledge (outbox). Whatever dies
between two steps, the marker written first makes the relay publish the event later.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from techbank.concurrency import ConcurrencyError

from .outbox import Outbox
from .records import StoredEvent
from .store import EventStore


class Publisher(Protocol):
    def publish(self, event: StoredEvent, on_delivered: Callable[[], None]) -> None: ...


class EventRecorder:
    def __init__(self, store: EventStore, outbox: Outbox, publisher: Publisher | None) -> None:
        self.store = store
        self.outbox = outbox
        # None: only the relay publishes (EVENT_PUBLISHING=false).
        self.publisher = publisher

    def record(self, event: StoredEvent) -> None:
        """Stores `event` as its stream's next version and publishes it.

        Raises ConcurrencyError, and leaves no marker, if another writer took that version.
        """
        token = self.outbox.mark(event.key)
        try:
            self.store.append(event)
        except ConcurrencyError:
            self.outbox.drop(token)
            raise
        if self.publisher is not None:
            self.publisher.publish(event, lambda: self.outbox.acknowledge(token))
