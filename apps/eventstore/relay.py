"""Publishes stored events whose Kafka acknowledgement never came back.

A web process that dies, or a broker that is down, between the append and the broker's
acknowledgement leaves an outbox marker; the relay re-publishes those events, oldest first per
account. Delivery is at-least-once: consumers skip versions they have already applied.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from functools import partial

from .interface import StreamReader
from .observers import Observers
from .outbox import Outbox
from .publisher import KafkaPublisher

log = logging.getLogger(__name__)


class Relay:
    def __init__(
        self,
        store: StreamReader,
        outbox: Outbox,
        publisher: KafkaPublisher,
        grace_seconds: float,
        orphan_seconds: float = 600.0,
        observers: Observers | None = None,
    ) -> None:
        self.store = store
        self.observers = observers or Observers()
        self.outbox = outbox
        self.publisher = publisher
        # Leaves the appending process time to receive its own acknowledgement.
        self.grace = timedelta(seconds=grace_seconds)
        # A marker whose event never appeared: the append failed after writing it.
        self.orphan_age = timedelta(seconds=orphan_seconds)

    def run_once(self, flush_timeout: float = 30.0) -> int:
        """Publishes what is pending; returns how many events were handed to Kafka."""
        self.observers.outbox_backlog(*self.outbox.backlog())
        markers = self.outbox.due(self.grace)
        orphaned_before = datetime.now(UTC) - self.orphan_age
        sent = 0
        for marker in markers:
            event = self.store.get(marker.aggregate_id, marker.version)
            if event is None:
                if marker.created_at <= orphaned_before:
                    log.info(
                        "dropping the marker of an append that never stored %s v%d",
                        marker.aggregate_id,
                        marker.version,
                    )
                    self.outbox.drop(marker.token)
                continue
            self.publisher.publish(event, partial(self.outbox.acknowledge, marker.token))
            sent += 1
        self.observers.relay_resent(sent)
        if sent:
            missing = self.publisher.flush(flush_timeout)
            log.info("relayed %d pending event(s), %d not yet acknowledged", sent, missing)
        self.outbox.forget_acknowledged()
        return sent
