"""Reading the dead-letter topic, for the operator (`manage.py dead_letters`, the console).

The topic has one partition, so a letter is named by its offset there. Reading assigns that
partition and reads up to the high watermark seen when it began, without joining a group or
committing anything: looking changes nothing.
"""

from __future__ import annotations

import time

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, KafkaException, TopicPartition

from kernel.kafka_config import reader_config

from .letter import DeadLetter


def read(
    bootstrap_servers: str,
    topic: str,
    *,
    last: int | None = None,
    timeout: float = 30.0,
    complete: bool = True,
) -> list[DeadLetter]:
    """The topic's letters (or its `last` ones), oldest first.

    Raises KafkaException when Kafka does not answer or fails the read. If the end is not
    reached within `timeout`: TimeoutError when `complete` (a replay must see every letter),
    else what was read by then (a page shows what it has).
    """
    consumer = Consumer(reader_config(bootstrap_servers, "dead-letters", partition_eof=True))
    try:
        low, high = consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=timeout)
        if high <= low:
            return []
        start = OFFSET_BEGINNING if last is None else max(low, high - last)
        consumer.assign([TopicPartition(topic, 0, start)])
        found: list[DeadLetter] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = consumer.poll(0.2)
            if message is None:
                continue
            if error := message.error():
                if error.code() == KafkaError._PARTITION_EOF:
                    return found
                raise KafkaException(f"reading {topic}: {error}")
            letter = DeadLetter.of(message)
            found.append(letter)
            if letter.offset >= high - 1:
                return found
        if complete:
            raise TimeoutError(f"{topic} not read to offset {high} within {timeout:g} s")
        return found
    finally:
        consumer.close()
