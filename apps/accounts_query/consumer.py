"""The Kafka side of the projection: consume a batch, project it, dead-letter poison, commit."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, Producer
from django.db import close_old_connections

from techbank.ops import metrics
from techbank.ops.kafka_lag import LagTracker
from techbank.ops.progress import Progress

from .messages import EventMessage, PoisonMessage, decode
from .projector import Outcome, Projector

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConsumerSettings:
    bootstrap_servers: str
    group_id: str
    topic: str
    dead_letter_topic: str
    batch_size: int = 500
    poll_timeout: float = 1.0
    stuck_seconds: float = 60.0  # /healthz says stuck after this long with lag and no commit


class EventConsumer:
    def __init__(self, settings: ConsumerSettings, projector: Projector) -> None:
        self.settings = settings
        self.projector = projector
        self.stop = threading.Event()
        self.totals = {"applied": 0, "skipped": 0, "gap_filled": 0, "dead_lettered": 0}
        # Observability: liveness for the worker's /healthz, lag per partition for /metrics.
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
                "log_level": 3,
            }
        )
        self.dead_letters = Producer(
            {
                "bootstrap.servers": settings.bootstrap_servers,
                "enable.idempotence": True,
                "acks": "all",
                "log_level": 3,
            }
        )

    def run(self) -> None:
        self.consumer.subscribe(
            [self.settings.topic],
            on_assign=lambda _, parts: self._rebalanced("assigned", parts),
            on_revoke=lambda _, parts: self._rebalanced("revoked", parts),
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
                self.lag.batch_received(self.consumer, [first, *more])  # observability
                self.handle_batch([first, *more])
        finally:
            self.consumer.close()  # leaves the group now, so the others take over at once
            self.dead_letters.flush(10)
            log.info("stopped; totals %s", self.totals)

    def _rebalanced(self, what: str, parts: list) -> None:
        # Another worker may have written the accounts of partitions we get back.
        self.projector.forget()
        log.info("%s %s", what, _partitions(parts))

    def handle_batch(self, messages: list[Message]) -> None:
        events, poison = [], []
        for message in messages:
            if message.error():
                if message.error().code() != KafkaError._PARTITION_EOF:
                    log.warning("consumer error: %s", message.error())
                continue
            try:
                events.append((decode(message.value()), message))
            except PoisonMessage as exc:
                poison.append((message, str(exc)))
        outcome = self._project_until_done([event for event, _ in events])
        by_event = {id(event): message for event, message in events}
        poison += [(by_event[id(event)], reason) for event, reason in outcome.rejected]
        for message, reason in poison:
            self._dead_letter(message, reason)
        if poison:
            self.dead_letters.flush(30)
        committed = None
        try:
            committed = self.consumer.commit(asynchronous=False)
        except KafkaException as exc:
            if exc.args[0].code() != KafkaError._NO_OFFSET:  # a batch of errors only
                raise
        # Observability: progress, lag and counts (techbank/ops/metrics.py).
        self.lag.batch_committed(self.consumer, committed)
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

    def _project_until_done(self, events: list[EventMessage]) -> Outcome:
        delay = 0.5
        while True:
            try:
                return self.projector.project(events)
            except Exception:
                # MySQL or the event store is unavailable: nothing was committed, so the batch
                # is retried as a whole; offsets stay where they were.
                log.exception("projection failed; retrying the batch in %.1fs", delay)
                close_old_connections()
                if self.stop.wait(delay):
                    raise SystemExit(1) from None
                delay = min(delay * 2, 30)

    def _dead_letter(self, message: Message, reason: str) -> None:
        log.error(
            "dead-lettering %s[%d]@%d: %s",
            message.topic(),
            message.partition(),
            message.offset(),
            reason,
        )
        headers = [
            *(message.headers() or []),
            ("error", reason.encode()),
            ("original_topic", message.topic().encode()),
            ("original_partition", str(message.partition()).encode()),
            ("original_offset", str(message.offset()).encode()),
            ("dead_lettered_at", str(time.time()).encode()),
        ]
        self.dead_letters.produce(
            self.settings.dead_letter_topic,
            key=message.key(),
            value=message.value(),
            headers=headers,
        )


def _partitions(parts: list) -> str:
    return ", ".join(f"{p.topic}[{p.partition}]" for p in parts) or "nothing"
