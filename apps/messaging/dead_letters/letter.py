"""One message of the dead-letter topic, as the worker wrote it: what an operator reads of it
(`manage.py dead_letters`, the console's page) and what a replay sends back."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from confluent_kafka import Message

from kernel.kafka_messages import headers_of, position

from ..message_fields import Headers, header_value
from . import headers as names


@dataclass(frozen=True)
class DeadLetter:
    offset: int  # in the dead-letter topic (one partition): the letter's name
    key: bytes | None
    value: bytes | None
    headers: Headers  # the original message's, then the dead-letter ones

    @classmethod
    def of(cls, message: Message) -> DeadLetter:
        _, _, offset = position(message)
        return cls(offset, message.key(), message.value(), headers_of(message))

    def header(self, name: str, default: str = "") -> str:
        found = header_value(self.headers, name)
        return default if found is None else found

    @property
    def reason(self) -> str:
        """Why the consumer gave up on it."""
        return self.header(names.REASON)

    @property
    def original_topic(self) -> str:
        return self.header(names.ORIGINAL_TOPIC)

    @property
    def original_partition(self) -> str:
        return self.header(names.ORIGINAL_PARTITION)

    @property
    def original_offset(self) -> str:
        return self.header(names.ORIGINAL_OFFSET)

    @property
    def consumer_group(self) -> str:
        return self.header(names.CONSUMER_GROUP)

    @property
    def key_text(self) -> str | None:
        return None if self.key is None else self.key.decode(errors="replace")

    @property
    def event_type(self) -> str:
        return self.envelope_field("event_type")

    @property
    def version(self) -> str:
        return self.envelope_field("version")

    @property
    def replay_count(self) -> int:
        try:
            return int(self.header(names.REPLAY_COUNT, "0"))
        except ValueError:
            return 0

    @property
    def dead_lettered_at(self) -> datetime | None:
        try:
            return datetime.fromtimestamp(float(self.header(names.DEAD_LETTERED_AT)), UTC)
        except (ValueError, OverflowError, OSError):  # absent, or not a moment at all
            return None

    def envelope_field(self, name: str) -> str:
        """From the header if the publisher set one, else from the value if it is a JSON object.

        A poison message may be anything at all: "" when it has no such field.
        """
        if found := self.header(name):
            return found
        try:
            value = json.loads(self.value or b"")
        except (ValueError, RecursionError):
            return ""
        field = value.get(name) if isinstance(value, dict) else None
        return "" if field is None else str(field)

    def summary(self) -> dict[str, Any]:
        """Every field an operator reads, as plain data (`manage.py dead_letters`' row)."""
        at = self.dead_lettered_at
        return {
            "offset": self.offset,
            "original_topic": self.original_topic,
            "original_partition": self.original_partition,
            "original_offset": self.original_offset,
            "key": self.key_text,
            "event_type": self.event_type,
            "version": self.version,
            "reason": self.reason,
            "dead_lettered_at": at.isoformat(timespec="milliseconds") if at else None,
            "replay_count": self.replay_count,
            "consumer_group": self.consumer_group,
        }

    def replay_headers(self) -> Headers:
        return names.replay_headers(self.headers, self.offset, self.replay_count)
