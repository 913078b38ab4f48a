"""Recording an event: the one place that states how a stored event reaches Kafka.

mark (outbox) → append (event store) → publish (Kafka) → acknowledge (outbox). Whatever dies
between two steps, the marker written first makes the relay publish the event later.

The events that threads of a process record at the same moment go through these steps
together (group_commit.py): one round trip marks them all, one appends them all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from .group_commit import GroupCommit, Outcomes
from .interface import AggregateRecorder
from .outbox import Outbox
from .records import StoredEvent


class Publisher(Protocol):
    def publish(self, event: StoredEvent, on_delivered: Callable[[], None]) -> None: ...


class EventRecorder:
    def __init__(
        self, store: AggregateRecorder, outbox: Outbox, publisher: Publisher | None
    ) -> None:
        self.store = store
        self.outbox = outbox
        # None: only the relay publishes (EVENT_PUBLISHING=false).
        self.publisher = publisher
        self._group: GroupCommit[tuple[StoredEvent, list[str]]] = GroupCommit(self._store_all)

    def record(self, event: StoredEvent) -> None:
        """Stores `event` as its stream's next version and publishes it.

        Raises kernel.concurrency.ConcurrencyError, and leaves no marker, if another writer
        took that version.
        """
        token: list[str] = []  # filled in by whichever thread writes the batch
        self._group.submit((event, token))
        if self.publisher is not None:
            self.publisher.publish(event, lambda: self.outbox.acknowledge(token[0]))

    def _store_all(self, batch: list[tuple[StoredEvent, list[str]]]) -> Outcomes:
        events = [event for event, _ in batch]
        tokens = self.outbox.mark_all([event.key for event in events])
        for (_, token), marked in zip(batch, tokens, strict=True):
            token.append(marked)
        outcomes = self.store.append_all(events)
        lost = [t for t, outcome in zip(tokens, outcomes, strict=True) if outcome is not None]
        if lost:
            self.outbox.drop_all(lost)
        return outcomes
