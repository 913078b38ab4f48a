"""Committing what a batch consumed: the next offset of each partition, after the handling."""

from __future__ import annotations

import logging

from confluent_kafka import Consumer, KafkaException, Message, TopicPartition

from kernel.kafka_messages import position

log = logging.getLogger(__name__)


def commit(consumer: Consumer, messages: list[Message]) -> list[TopicPartition] | None:
    offsets: dict[tuple[str, int], int] = {}
    for message in messages:
        if not message.error():
            topic, partition, offset = position(message)
            key = (topic, partition)
            offsets[key] = max(offsets.get(key, -1), offset + 1)
    if not offsets:
        return None
    try:
        return consumer.commit(
            offsets=[TopicPartition(t, p, o) for (t, p), o in offsets.items()],
            asynchronous=False,
        )
    except KafkaException as exc:
        # After a rebalance these partitions may be another member's: it reads them again
        # from the last commit, and every handler here takes a repeat idly.
        log.warning("could not commit offsets %s: %s", offsets, exc)
        return None


def partitions(parts: list[TopicPartition]) -> str:
    return ", ".join(f"{p.topic}[{p.partition}]" for p in parts) or "nothing"
