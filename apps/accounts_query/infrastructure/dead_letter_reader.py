"""Reads the dead-letter topic for the admin console: every message, without a consumer group.

It assigns partition 0 (the topic has one), reads from the start (or the last `limit`) up to
the high watermark seen when it began, and commits nothing, so reading never moves anything.
The headers are those dead_letters.py writes.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from confluent_kafka import Consumer, KafkaException, TopicPartition


@dataclass(frozen=True)
class DeadLetter:
    offset: int
    original_topic: str
    original_partition: str
    original_offset: str
    key: str
    event_type: str
    version: str
    error: str
    consumer_group: str
    dead_lettered_at: datetime | None


def read_dead_letters(
    bootstrap_servers: str, topic: str, limit: int = 500, timeout: float = 5.0
) -> list[DeadLetter]:
    """The topic's last `limit` messages, oldest first; raises KafkaException when unreachable."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap_servers,
            # A group id is required, but nothing is subscribed or committed under it.
            "group.id": f"techbank-admin-console-{uuid.uuid4().hex[:8]}",
            "enable.auto.commit": False,
            "enable.auto.offset.store": False,
            "log_level": 3,
        }
    )
    try:
        low, high = consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=timeout)
        if high <= low:
            return []
        consumer.assign([TopicPartition(topic, 0, max(low, high - limit))])
        found: list[DeadLetter] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = consumer.poll(0.2)
            if message is None:
                continue
            if message.error() is not None:
                raise KafkaException(message.error())
            found.append(
                dead_letter(
                    message.offset(), message.key(), message.value(), message.headers() or []
                )
            )
            if message.offset() >= high - 1:
                break
        return found
    finally:
        consumer.close()


def dead_letter(
    offset: int, key: bytes | None, value: bytes | None, headers: list[tuple[str, bytes]]
) -> DeadLetter:
    # Later headers win: a message dead-lettered twice carries the newer reason last.
    found = {name: (raw or b"").decode(errors="replace") for name, raw in headers}
    return DeadLetter(
        offset=offset,
        original_topic=found.get("original_topic", ""),
        original_partition=found.get("original_partition", ""),
        original_offset=found.get("original_offset", ""),
        key=(key or b"").decode(errors="replace"),
        event_type=found.get("event_type") or _field(value, "event_type"),
        version=_version(value),
        error=found.get("error", ""),
        consumer_group=found.get("consumer_group", ""),
        dead_lettered_at=_moment(found.get("dead_lettered_at")),
    )


def _version(value: bytes | None) -> str:
    # A poison message may be anything at all: show its version only when it has one.
    version = _field(value, "version")
    return str(version) if isinstance(version, int) and not isinstance(version, bool) else ""


def _field(value: bytes | None, name: str) -> Any:
    """`name` of a JSON object value ("" when the value is not one: poison may be anything)."""
    try:
        doc = orjson.loads(value or b"")
    except orjson.JSONDecodeError:
        return ""
    found = doc.get(name, "") if isinstance(doc, dict) else ""
    return found if name == "version" or isinstance(found, str) else ""


def _moment(seconds: str | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(seconds or ""), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None
