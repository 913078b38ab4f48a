"""A consumer's lag as Kafka reports it for the group: the high watermark minus the group's
committed offset, per partition this consumer owns.

The committed offsets come from two places: what this consumer commits (`Consumer.commit`
returns it), and, for a partition it has not committed yet (just assigned, idle since), the
group's committed offset, asked of the broker with a timeout on assignment and every
`GROUP_OFFSETS_EVERY` seconds, never per poll. The high watermarks are librdkafka's cached
ones, updated by every fetch, so a gauge update costs no round trip. A consumer's *position*
is no stand-in: on a partition nothing was read from since the start it has none, and an
idle, caught-up worker counted such partitions from their low watermark (lag 425 where Kafka's
own tools said 0, and a /healthz saying "stuck").
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from confluent_kafka import Consumer, KafkaException, Message, TopicPartition

from kernel.kafka_messages import position

from . import metrics
from .progress import Progress

log = logging.getLogger(__name__)

Key = tuple[str, int]

# How often the group's committed offsets are asked for again (a reset by an operator shows
# within this), how long one ask may take, and how often the gauges follow the cached
# watermarks while the consumer is idle.
GROUP_OFFSETS_EVERY = 30.0
GROUP_OFFSETS_TIMEOUT = 2.0
IDLE_UPDATE_EVERY = 1.0
RETRY_AFTER = 5.0


def partition_lag(low: int, high: int, committed: int | None) -> int:
    """A partition's lag: what lies between the committed offset and the high watermark; with
    nothing committed by the group, everything still on the partition (from its low watermark)
    is unread (the consumers start from the earliest offset).
    The one rule, for the consumers' gauges here and the operator console's lag page."""
    return max(0, high - (max(low, 0) if committed is None else committed))


class LagTracker:
    """Call `assigned`/`revoked` from the rebalance callbacks, `tick` after each poll,
    `batch_received` when a batch arrives and `batch_committed` after its commit."""

    def __init__(self, progress: Progress, clock: Callable[[], float] = time.monotonic) -> None:
        self.progress = progress
        self._clock = clock
        self._committed: dict[Key, int] = {}  # only offsets >= 0
        self._known: set[Key] = set()  # the group's offset was asked for (it may have none)
        self._reported: set[Key] = set()
        self._fetch_due = 0.0
        self._update_due = 0.0

    def assigned(self, parts: list[TopicPartition]) -> None:
        self._fetch_due = 0.0  # at the next tick

    def revoked(self, parts: list[TopicPartition]) -> None:
        for tp in parts:
            self._committed.pop((tp.topic, tp.partition), None)
            self._known.discard((tp.topic, tp.partition))

    def tick(self, consumer: Consumer) -> None:
        """Cheap unless something is due: the group's offsets, then the gauges."""
        now = self._clock()
        if now >= self._fetch_due:
            self._fetch_due = now + (
                GROUP_OFFSETS_EVERY if self.fetch_group_offsets(consumer) else RETRY_AFTER
            )
            self._update_due = 0.0
        if now >= self._update_due:
            self._update_due = now + IDLE_UPDATE_EVERY
            self.update(consumer)

    def fetch_group_offsets(self, consumer: Consumer) -> bool:
        """The group's committed offsets of the partitions this consumer owns; False if the
        broker did not answer in time (the gauges keep what they knew)."""
        owned = consumer.assignment()
        if not owned:
            return True
        try:
            found = consumer.committed(
                [TopicPartition(tp.topic, tp.partition) for tp in owned],
                timeout=GROUP_OFFSETS_TIMEOUT,
            )
        except KafkaException as exc:
            log.warning("could not read the group's committed offsets: %s", exc)
            return False
        for tp in found:
            if tp.error is not None:
                continue
            key = (tp.topic, tp.partition)
            self._known.add(key)
            if tp.offset >= 0:
                self._committed[key] = tp.offset
            else:  # the group has committed nothing there
                self._committed.pop(key, None)
        return True

    def batch_received(self, consumer: Consumer, messages: list[Message]) -> None:
        # Until this batch commits, a partition's committed offset is at most its first
        # message here: a worker that hangs on its first batch still shows the batch as lag.
        for message in messages:
            if message.error() is None:
                topic, partition, offset = position(message)
                key = (topic, partition)
                self._committed.setdefault(key, offset)
                self._known.add(key)
        self.update(consumer)

    def batch_committed(self, consumer: Consumer, committed: list[TopicPartition] | None) -> None:
        for tp in committed or []:
            if tp.error is None and tp.offset >= 0:
                self._committed[(tp.topic, tp.partition)] = tp.offset
                self._known.add((tp.topic, tp.partition))
        self.progress.record_progress()
        self.update(consumer)

    def update(self, consumer: Consumer) -> int:
        """Sets the per-partition gauges and the worker's total lag; returns the total."""
        owned = {(tp.topic, tp.partition) for tp in consumer.assignment()}
        for gone in self._reported - owned:
            metrics.forget_partition(*gone)
        for gone in set(self._committed) - owned:
            self._committed.pop(gone)
        self._known &= owned
        total = 0
        reported: set[Key] = set()
        for topic, partition in owned:
            if (topic, partition) not in self._known:
                continue  # the group's offset not asked for yet: unknown, not zero
            marks = consumer.get_watermark_offsets(TopicPartition(topic, partition), cached=True)
            if not marks or marks[1] < 0:
                continue  # nothing fetched from it yet: unknown, not zero
            low, high = marks
            lag = partition_lag(low, high, self._committed.get((topic, partition)))
            metrics.set_partition_lag(topic, partition, lag)
            reported.add((topic, partition))
            total += lag
        self._reported = (self._reported & owned) | reported
        self.progress.set_lag(total)
        return total
