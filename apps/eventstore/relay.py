"""Publishes stored events whose Kafka acknowledgement never came back.

A web process that dies, or a broker that is down, between the append and the broker's
acknowledgement leaves a pending marker; the relay re-publishes those events, oldest first per
account. Delivery is at-least-once: consumers skip versions they have already applied.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from techbank.ops.metrics import count_relay_resend, set_outbox_backlog

from .publisher import KafkaPublisher
from .store import EventStore

log = logging.getLogger(__name__)


class Relay:
    def __init__(
        self,
        store: EventStore,
        publisher: KafkaPublisher,
        grace_seconds: float,
        orphan_seconds: float = 600.0,
    ) -> None:
        self.store = store
        self.publisher = publisher
        # Leaves the appending process time to receive its own acknowledgement.
        self.grace = timedelta(seconds=grace_seconds)
        # A marker whose event never appeared: the append failed after writing it.
        self.orphan_age = timedelta(seconds=orphan_seconds)

    def run_once(self, flush_timeout: float = 30.0) -> int:
        """Publishes what is pending; returns how many events were handed to Kafka."""
        now = datetime.now(UTC)
        waiting = list(self.store.pending.find({}))
        oldest = min((_aware(m["created_at"]) for m in waiting), default=now)
        set_outbox_backlog(len(waiting), (now - oldest).total_seconds())  # observability
        markers = [m for m in waiting if _aware(m["created_at"]) <= now - self.grace]
        # The key sorts by aggregate, then version: each account's events go oldest first.
        markers.sort(key=lambda m: m["event_key"])
        sent = 0
        for marker in markers:
            aggregate_id, _, version = marker["event_key"].rpartition(":")
            event = self.store.get(aggregate_id, int(version))
            if event is None:
                if _aware(marker["created_at"]) <= now - self.orphan_age:
                    log.info(
                        "dropping marker of an append that never stored %s", marker["event_key"]
                    )
                    self.store.acknowledge(marker["_id"])
                continue
            self.publisher.publish(event, lambda token=marker["_id"]: self.store.acknowledge(token))
            sent += 1
        count_relay_resend(sent)  # observability
        if sent:
            missing = self.publisher.flush(flush_timeout)
            log.info("relayed %d pending event(s), %d not yet acknowledged", sent, missing)
        self.store.forget_acknowledged()
        return sent


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
