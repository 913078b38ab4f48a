"""The consumer's own view of its lag: high watermark minus committed offset, per partition.

Both come from local state, without a round trip: librdkafka updates a partition's cached
high watermark on every fetch, and `Consumer.commit` returns the offsets it committed.
"""

from __future__ import annotations

from confluent_kafka import Consumer, Message, TopicPartition

from . import metrics
from .progress import Progress


def partition_lag(low: int, high: int, committed: int | None) -> int:
    """A partition's lag: what lies between the committed offset and the high watermark; with
    nothing committed, everything still on the partition (from its low watermark) is unread.
    The one rule, for the consumers' gauges here and the operator console's lag page."""
    return max(0, high - (max(low, 0) if committed is None else committed))


class LagTracker:
    """Call `batch_received` when a batch arrives and `batch_committed` after its commit."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self._committed: dict[tuple[str, int], int] = {}
        self._reported: set[tuple[str, int]] = set()

    def batch_received(self, consumer: Consumer, messages: list[Message]) -> None:
        # Until this batch commits, a partition's committed offset is at most its first
        # message here: a worker that hangs on its first batch still shows the batch as lag.
        for message in messages:
            if message.error() is None:
                self._committed.setdefault((message.topic(), message.partition()), message.offset())
        self.update(consumer)

    def batch_committed(self, consumer: Consumer, committed: list[TopicPartition] | None) -> None:
        for tp in committed or []:
            if tp.error is None and tp.offset >= 0:
                self._committed[(tp.topic, tp.partition)] = tp.offset
        self.progress.record_progress()
        self.update(consumer)

    def update(self, consumer: Consumer) -> int:
        """Sets the per-partition gauges and the worker's total lag; returns the total."""
        owned = {(tp.topic, tp.partition) for tp in consumer.assignment()}
        for gone in self._reported - owned:
            metrics.forget_partition(*gone)
            self._committed.pop(gone, None)
        total = 0
        for topic, partition in owned:
            marks = consumer.get_watermark_offsets(TopicPartition(topic, partition), cached=True)
            if not marks or marks[1] < 0:
                continue  # nothing fetched from it yet: unknown, not zero
            low, high = marks
            done = self._committed.get((topic, partition))  # only offsets >= 0 are kept
            if done is None:
                # Never committed by this worker: the position it will read from next.
                (position,) = consumer.position([TopicPartition(topic, partition)])
                done = position.offset if position.offset >= 0 else None
            lag = partition_lag(low, high, done)
            metrics.set_partition_lag(topic, partition, lag)
            total += lag
        self._reported = owned
        self.progress.set_lag(total)
        return total
