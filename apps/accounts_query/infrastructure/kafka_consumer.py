"""The Kafka side of the projection: consume a batch, project it, dead-letter poison, commit.

A message that cannot be applied (undecodable, invalid, out of place, or failing in any other
way of its own) is dead-lettered and the worker goes on. Only an infrastructure failure (MySQL,
the event store or Kafka unavailable) makes it retry a batch, and it keeps its group membership
meanwhile: it pauses its partitions and goes on polling, however long the outage lasts.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, TopicPartition
from django.db import close_old_connections

from techbank.ops import metrics
from techbank.ops.kafka_lag import LagTracker
from techbank.ops.progress import Progress

from ..application.projector import Outcome, Projector
from ..domain.event_message import EventMessage, ForeignMessage, PoisonMessage, decode
from .dead_letters import DeadLetters
from .outage import INFRASTRUCTURE, OutageWait, Stopped
from .projection_log import log_projected

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConsumerSettings:
    bootstrap_servers: str
    group_id: str
    topic: str
    dead_letter_topic: str
    batch_size: int
    # Kafka evicts a member that does not poll for this long; polling goes on during outages.
    max_poll_interval_ms: int
    stuck_seconds: float  # the worker's /healthz says stuck after this long with lag
    poll_timeout: float = 1.0


class EventConsumer:
    def __init__(self, settings: ConsumerSettings, projector: Projector) -> None:
        self.settings = settings
        self.projector = projector
        self.stop = threading.Event()
        self.totals = {"applied": 0, "skipped": 0, "gap_filled": 0, "dead_lettered": 0}
        # Liveness for the worker's /healthz, lag per partition for /metrics.
        self.progress = Progress(settings.stuck_seconds)
        self.lag = LagTracker(self.progress)
        self.consumer = Consumer(
            {
                "bootstrap.servers": settings.bootstrap_servers,
                "group.id": settings.group_id,
                "auto.offset.reset": "earliest",
                # Offsets are committed by hand, after the read-model transaction commits.
                "enable.auto.commit": False,
                "session.timeout.ms": 10000,
                "heartbeat.interval.ms": 2000,
                "max.poll.interval.ms": settings.max_poll_interval_ms,
                "log_level": 3,
            }
        )
        self.dead_letters = DeadLetters(settings.bootstrap_servers, settings.dead_letter_topic)
        self.outage = OutageWait(self.consumer, self.stop)

    def run(self) -> None:
        self.consumer.subscribe(
            [self.settings.topic], on_assign=self._assigned, on_revoke=self._revoked
        )
        log.info("consuming %s as group %s", self.settings.topic, self.settings.group_id)
        try:
            while not self.stop.is_set():
                # Wait for one message, then take what else is already here: a quiet topic
                # costs no latency, a busy one still gives full batches.
                first = self.consumer.poll(self.settings.poll_timeout)
                if first is None:
                    continue
                rest = self.settings.batch_size - 1
                more = self.consumer.consume(rest, 0) if rest else []
                self.lag.batch_received(self.consumer, [first, *more])
                self.handle_batch([first, *more])
        except Stopped:
            log.info("stopped while waiting; the batch will be delivered again")
        finally:
            self.consumer.close()  # leaves the group now, so the others take over at once
            self.dead_letters.close()
            log.info("stopped; totals %s", self.totals)

    def _assigned(self, consumer: Consumer, parts: list[TopicPartition]) -> None:
        # Another worker may have written the accounts of partitions we get back.
        self.projector.forget()
        self.outage.assigned(parts)
        log.info("assigned %s", _partitions(parts))

    def _revoked(self, consumer: Consumer, parts: list[TopicPartition]) -> None:
        self.projector.forget()
        log.info("revoked %s", _partitions(parts))

    def handle_batch(self, messages: list[Message]) -> None:
        events: list[tuple[EventMessage, Message]] = []
        poison: list[tuple[Message, str]] = []
        for message in messages:
            if message.error():
                if message.error().code() != KafkaError._PARTITION_EOF:
                    log.warning("consumer error: %s", message.error())
                continue
            try:
                events.append((decode(message.value()), message))
            except ForeignMessage:
                continue  # another aggregate's event (a transfer): not this projection's
            except PoisonMessage as exc:
                poison.append((message, str(exc)))
            except Exception as exc:  # noqa: BLE001  (no message may stop the worker)
                poison.append((message, f"cannot decode: {type(exc).__name__}: {exc}"))
        by_event = {id(event): message for event, message in events}
        outcome = self._until_done(lambda: self._project([e for e, _ in events]))
        log_projected(outcome.projected, by_event)
        poison += [(by_event[id(event)], reason) for event, reason in outcome.rejected]
        if poison:
            self._until_done(lambda: self.dead_letters.send(poison))
        self.lag.batch_committed(self.consumer, self._commit(messages))
        metrics.count_projection(outcome.applied, outcome.skipped, outcome.gap_filled)
        metrics.count_dead_lettered(len(poison))
        self.totals["applied"] += outcome.applied
        self.totals["skipped"] += outcome.skipped
        self.totals["gap_filled"] += outcome.gap_filled
        self.totals["dead_lettered"] += len(poison)
        log.info(
            "batch of %d: applied %d, skipped %d duplicate(s), filled %d from the store, "
            "dead-lettered %d",
            len(messages),
            outcome.applied,
            outcome.skipped,
            outcome.gap_filled,
            len(poison),
        )

    def _project(self, events: list[EventMessage]) -> Outcome:
        try:
            return self.projector.project(events)
        except INFRASTRUCTURE:
            raise
        except Exception:
            if len(events) == 1:
                raise
        # One message of this batch breaks it: project them one by one to find which.
        total = Outcome()
        for event in events:
            try:
                outcome = self.projector.project([event])
            except INFRASTRUCTURE:
                raise
            except Exception as exc:  # noqa: BLE001  (this message's own failure)
                outcome = Outcome(rejected=[(event, f"{type(exc).__name__}: {exc}")])
            total.add(outcome)
        return total

    def _until_done(self, attempt: Callable[[], object]) -> object:  # type: ignore[return]
        """Runs `attempt` until no backing service fails it, polling Kafka meanwhile."""
        delay = 0.5
        try:
            while True:
                try:
                    return attempt()
                except INFRASTRUCTURE:
                    log.exception("a backing service failed; retrying the batch in %.1fs", delay)
                    close_old_connections()
                    self.outage.wait(delay)
                    delay = min(delay * 2, 30.0)
        finally:
            self.outage.over()

    def _commit(self, messages: list[Message]) -> list[TopicPartition] | None:
        offsets: dict[tuple[str, int], int] = {}
        for message in messages:
            if not message.error():
                key = (message.topic(), message.partition())
                offsets[key] = max(offsets.get(key, -1), message.offset() + 1)
        if not offsets:
            return None
        try:
            return self.consumer.commit(
                offsets=[TopicPartition(t, p, o) for (t, p), o in offsets.items()],
                asynchronous=False,
            )
        except KafkaException as exc:
            # After a rebalance these partitions may be another worker's: it reads them again
            # from the last commit, and re-delivery is idempotent.
            log.warning("could not commit offsets %s: %s", offsets, exc)
            return None


def _partitions(parts: list[TopicPartition]) -> str:
    return ", ".join(f"{p.topic}[{p.partition}]" for p in parts) or "nothing"
