"""Reading the dead-letter topic and sending its messages back for another try.

The topic has one partition, so a message is named by its offset there. Reading assigns that
partition and reads it from the beginning to the high watermark with no consumer group
commits, so looking changes nothing. A replay produces the original key, value and headers
(without the dead-letter ones) to the events topic, counting replays in a header that a
dead-lettering keeps: past DEAD_LETTER_MAX_REPLAYS a message is refused, never looped.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, Producer, TopicPartition

DEAD_LETTER_HEADERS = frozenset(
    {
        "error",
        "original_topic",
        "original_partition",
        "original_offset",
        "consumer_group",
        "dead_lettered_at",
    }
)
REPLAYED_FROM = "replayed_from_dead_letter_offset"
REPLAY_COUNT = "replay_count"


@dataclass(frozen=True)
class DeadLetter:
    offset: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]

    def header(self, name: str, default: str = "") -> str:
        # A message dead-lettered twice carries two sets: the last one is the latest.
        found = [v for k, v in self.headers if k == name]
        return found[-1].decode(errors="replace") if found and found[-1] is not None else default

    @property
    def replay_count(self) -> int:
        try:
            return int(self.header(REPLAY_COUNT, "0"))
        except ValueError:
            return 0

    @property
    def dead_lettered_at(self) -> datetime | None:
        try:
            return datetime.fromtimestamp(float(self.header("dead_lettered_at")), UTC)
        except ValueError:
            return None

    def envelope_field(self, name: str) -> str:
        """From the header if the publisher set one, else from the value if it is JSON."""
        if found := self.header(name):
            return found
        try:
            value = json.loads(self.value or b"")
        except ValueError:
            return ""
        field = value.get(name) if isinstance(value, dict) else None
        return "" if field is None else str(field)

    def summary(self) -> dict[str, Any]:
        at = self.dead_lettered_at
        return {
            "offset": self.offset,
            "original_topic": self.header("original_topic"),
            "original_partition": self.header("original_partition"),
            "original_offset": self.header("original_offset"),
            "key": self.key.decode(errors="replace") if self.key is not None else None,
            "event_type": self.envelope_field("event_type"),
            "version": self.envelope_field("version"),
            "reason": self.header("error"),
            "dead_lettered_at": at.isoformat(timespec="milliseconds") if at else None,
            "replay_count": self.replay_count,
            "consumer_group": self.header("consumer_group"),
        }

    def replay_headers(self) -> list[tuple[str, bytes]]:
        kept = [
            (k, v)
            for k, v in self.headers
            if k not in DEAD_LETTER_HEADERS and k not in (REPLAYED_FROM, REPLAY_COUNT)
        ]
        return [
            *kept,
            (REPLAYED_FROM, str(self.offset).encode()),
            (REPLAY_COUNT, str(self.replay_count + 1).encode()),
        ]


def read(bootstrap_servers: str, topic: str, timeout: float = 30.0) -> list[DeadLetter]:
    """Every message of the dead-letter topic's partition, oldest first."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap_servers,
            # Required by the client even when assigning; nothing is ever committed under it.
            "group.id": f"techbank-dead-letters-{uuid.uuid4().hex[:8]}",
            "enable.auto.commit": False,
            "enable.partition.eof": True,
            "log_level": 3,
        }
    )
    try:
        partition = TopicPartition(topic, 0)
        low, high = consumer.get_watermark_offsets(partition, timeout=timeout)
        if high <= low:
            return []
        consumer.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
        found: list[DeadLetter] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                if message.error().code() == KafkaError._PARTITION_EOF:
                    break
                raise RuntimeError(f"reading {topic}: {message.error()}")
            found.append(
                DeadLetter(
                    message.offset(), message.key(), message.value(), message.headers() or []
                )
            )
            if message.offset() >= high - 1:
                break
        else:
            raise TimeoutError(f"{topic} not read to offset {high} within {timeout:g} s")
        return found
    finally:
        consumer.close()


def replay(
    bootstrap_servers: str, topic: str, letters: list[DeadLetter], timeout: float = 30.0
) -> None:
    """Produces each letter to `topic` and waits until the broker has them all."""
    producer = Producer(
        {"bootstrap.servers": bootstrap_servers, "enable.idempotence": True, "acks": "all"}
    )
    failed: list[str] = []

    def delivered(err: object, _: object) -> None:
        if err is not None:
            failed.append(str(err))

    for letter in letters:
        producer.produce(
            topic,
            key=letter.key,
            value=letter.value,
            headers=letter.replay_headers(),
            on_delivery=delivered,
        )
    if producer.flush(timeout) or failed:
        raise RuntimeError(f"{len(letters)} message(s) not all acknowledged: {failed}")
