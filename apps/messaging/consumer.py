"""The consumer base every Kafka consumer of the project stands on.

One loop for all: poll a batch, authenticate each message (its signature, checked by the
`authenticate` its composition root hands in), decode it against its contract (a message that
fails either is dead-lettered with the reason, never applied), hand the rest to the subclass,
commit after handling.
- An infrastructure failure (MySQL, the event store, Kafka) is nobody's message: the batch
  waits and is retried for as long as the outage lasts, the partitions paused while the
  consumer goes on polling, so it stays a member of its group (outage.py).
- Any other failure belongs to one message: it is tried again, at most `max_attempts` times in
  all, then parked: dead-lettered with the reason, and `on_parked` is told. So one message
  never holds up its partition for longer than those attempts.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from confluent_kafka import Consumer, KafkaError, Message, TopicPartition

from kernel.kafka_config import consumer_config
from kernel.kafka_messages import ConsumedMessage, consumed, position
from operations.kafka_lag import LagTracker
from operations.progress import Progress

from .attempts import Attempts, Delivery, Failures, Poison
from .dead_letters import DeadLetterWriter
from .offsets import commit, partitions
from .outage import OutageWait, Stopped

__all__ = ["BatchConsumer", "ConsumerSettings", "Delivery", "Failures", "Poison"]

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class ConsumerSettings:
    bootstrap_servers: str
    group_id: str
    topic: str
    dead_letter_topic: str
    batch_size: int
    # Kafka evicts a member that does not poll for this long; polling goes on during outages.
    max_poll_interval_ms: int
    stuck_seconds: float  # /healthz says stuck after this long with lag and no commit
    # Why a message is not authentic, or None when it is (apps/contract/signing.py's
    # Keyring.check_message): an unauthentic message is dead-lettered before it is decoded.
    authenticate: Callable[[ConsumedMessage], str | None]
    poll_timeout: float = 1.0
    # Tries of one message failing of its own before it is parked (1: dead-lettered at once).
    max_attempts: int = 1
    retry_backoff: float = 0.1  # seconds before the second try; doubles for each next one


class BatchConsumer(Generic[T]):
    """Subclasses give `decode` and `process`, and may override the hooks below."""

    def __init__(self, settings: ConsumerSettings) -> None:
        self.settings = settings
        self.stop = threading.Event()
        self.totals: dict[str, int] = {"dead_lettered": 0, "parked": 0}
        # Liveness for /healthz, lag per partition for /metrics.
        self.progress = Progress(settings.stuck_seconds)
        self.lag = LagTracker(self.progress)
        self.consumer = Consumer(
            consumer_config(
                settings.bootstrap_servers,
                settings.group_id,
                max_poll_interval_ms=settings.max_poll_interval_ms,
            )
        )
        self.dead_letters = DeadLetterWriter(
            settings.bootstrap_servers, settings.dead_letter_topic, settings.group_id
        )
        self.outage = OutageWait(self.consumer, self.stop)
        self.assignment: frozenset[int] = frozenset()  # partition numbers this member holds
        self.attempts = Attempts(
            lambda pending: self.process(pending),
            self.until_done,
            self.stop,
            settings.max_attempts,
            settings.retry_backoff,
        )

    # --- what a subclass gives ---------------------------------------------------------------
    def decode(self, message: Message) -> T:
        """The message checked against its contract; raises Poison with the reason."""
        raise NotImplementedError

    def process(self, deliveries: list[Delivery[T]]) -> Failures[T]:
        """Handles them; returns those that failed of their own, with why. Raising fails all."""
        raise NotImplementedError

    def topics(self) -> list[str]:
        """The topics subscribed: the settings' one, unless a subclass reads several."""
        return [self.settings.topic]

    def on_parked(self, message: Message, reason: str) -> None:
        """A message was dead-lettered after its last attempt (after the broker acknowledged)."""

    def on_assigned(self, parts: list[TopicPartition]) -> None: ...

    def on_revoked(self, parts: list[TopicPartition]) -> None: ...

    def batch_handled(self, size: int, dead_lettered: int) -> None:
        log.info("batch of %d handled, dead-lettered %d", size, dead_lettered)

    # --- the loop ----------------------------------------------------------------------------
    def run(self) -> None:
        topics = self.topics()
        self.consumer.subscribe(topics, on_assign=self._assigned, on_revoke=self._revoked)
        log.info("consuming %s as group %s", ", ".join(topics), self.settings.group_id)
        try:
            while not self.stop.is_set():
                # Wait for one message, then take what else is already here: a quiet topic
                # costs no latency, a busy one still gives full batches.
                first = self.consumer.poll(self.settings.poll_timeout)
                # The group's offsets after an assignment, the gauges while idle: not per poll.
                self.lag.tick(self.consumer)
                if first is None:
                    continue
                rest = self.settings.batch_size - 1
                batch = [first, *(self.consumer.consume(rest, 0) if rest else [])]
                self.lag.batch_received(self.consumer, batch)
                self.handle_batch(batch)
        except Stopped:
            log.info("stopped while waiting; the batch will be delivered again")
        finally:
            self.consumer.close()  # leaves the group now, so the others take over at once
            self.dead_letters.close()
            log.info("stopped; totals %s", self.totals)

    def handle_batch(self, messages: list[Message]) -> None:
        deliveries: list[Delivery[T]] = []
        poison: list[tuple[Message, str]] = []
        for message in messages:
            if error := message.error():
                if error.code() != KafkaError._PARTITION_EOF:
                    log.warning("consumer error: %s", error)
                continue
            try:
                if (unauthentic := self.settings.authenticate(consumed(message))) is not None:
                    raise Poison(unauthentic)
                deliveries.append(Delivery(self.decode(message), message))
            except Poison as exc:
                poison.append((message, str(exc)))
            except Exception as exc:  # noqa: BLE001  (no message may stop the consumer)
                poison.append((message, f"cannot decode: {type(exc).__name__}: {exc}"))
        parked = self.attempts.run(deliveries) if deliveries else []
        letters = poison + [(delivery.message, reason) for delivery, reason in parked]
        if letters:
            self.until_done(lambda: self.dead_letters.send(letters))
        for delivery, reason in parked:
            self._park(delivery.message, reason)
        self.lag.batch_committed(self.consumer, commit(self.consumer, messages))
        self.totals["dead_lettered"] += len(letters)
        self.totals["parked"] += len(parked)
        self.batch_handled(len(messages), len(letters))

    def _park(self, message: Message, reason: str) -> None:
        try:
            self.until_done(lambda: self.on_parked(message, reason))
        except Stopped:
            raise
        except Exception:  # the dead letter is written: a failing hook must not stop us
            log.exception("on_parked failed for %s[%d]@%d", *_where(message))

    def until_done(self, attempt: Callable[[], R]) -> R:
        """Runs `attempt` until no backing service fails it (outage.py)."""
        return self.outage.until_done(attempt)

    def _assigned(self, consumer: Consumer, parts: list[TopicPartition]) -> None:
        self.assignment = self.assignment | {p.partition for p in parts}
        self.lag.assigned(parts)
        self.outage.assigned(parts)
        self.on_assigned(parts)
        log.info("assigned %s", partitions(parts))

    def _revoked(self, consumer: Consumer, parts: list[TopicPartition]) -> None:
        self.assignment = self.assignment - {p.partition for p in parts}
        self.lag.revoked(parts)
        self.on_revoked(parts)
        log.info("revoked %s", partitions(parts))


def _where(message: Message) -> tuple[str, int, int]:
    return position(message)
