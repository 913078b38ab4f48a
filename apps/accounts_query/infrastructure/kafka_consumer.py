"""The Kafka side of the account projection, on the shared consumer base (apps/messaging).

A message that cannot be applied (undecodable, invalid, out of place, or failing in any other
way of its own) is dead-lettered at once and the worker goes on: a projection failure of one
message is deterministic, so trying it again would only delay its partition. Only an
infrastructure failure (MySQL, the event store or Kafka unavailable) makes it retry a batch,
and it keeps its group membership meanwhile (apps/messaging/outage.py).
"""

from __future__ import annotations

import logging

from confluent_kafka import Message, TopicPartition

from apps.messaging.consumer import BatchConsumer, ConsumerSettings, Delivery, Failures, Poison
from operations import metrics

from ..application.projector import Outcome, Projector
from ..domain.event_message import EventMessage, PoisonMessage, decode
from .projection_log import log_projected

__all__ = ["ConsumerSettings", "EventConsumer"]

log = logging.getLogger(__name__)


class EventConsumer(BatchConsumer[EventMessage]):
    def __init__(self, settings: ConsumerSettings, projector: Projector) -> None:
        super().__init__(settings)
        self.projector = projector
        self.totals.update({"applied": 0, "skipped": 0, "gap_filled": 0})
        self._batch = Outcome()

    def decode(self, message: Message) -> EventMessage:
        try:
            return decode(message.value())
        except PoisonMessage as exc:
            raise Poison(str(exc)) from None

    def process(self, deliveries: list[Delivery[EventMessage]]) -> Failures[EventMessage]:
        by_event = {id(d.value): d for d in deliveries}
        outcome = self.projector.project([d.value for d in deliveries])
        # Only a committed projection counts: a batch retried after an outage counts once.
        self._batch.add(outcome)
        log_projected(outcome.projected, {key: d.message for key, d in by_event.items()})
        return [(by_event[id(event)], reason) for event, reason in outcome.rejected]

    def on_assigned(self, parts: list[TopicPartition]) -> None:
        # Another worker may have written the accounts of partitions we get back.
        self.projector.forget()

    def on_revoked(self, parts: list[TopicPartition]) -> None:
        self.projector.forget()

    def batch_handled(self, size: int, dead_lettered: int) -> None:
        outcome, self._batch = self._batch, Outcome()
        metrics.count_projection(outcome.applied, outcome.skipped, outcome.gap_filled)
        metrics.count_dead_lettered(dead_lettered)
        self.totals["applied"] += outcome.applied
        self.totals["skipped"] += outcome.skipped
        self.totals["gap_filled"] += outcome.gap_filled
        log.info(
            "batch of %d: applied %d, skipped %d duplicate(s), filled %d from the store, "
            "dead-lettered %d",
            size,
            outcome.applied,
            outcome.skipped,
            outcome.gap_filled,
            dead_lettered,
        )
