"""What a Kafka message says of itself: a header's value, and where it was (for log lines)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from confluent_kafka import Message

from kernel.kafka_messages import headers_of

REQUEST_ID = "request_id"  # set by the publisher on an event produced for an HTTP request

Headers = Sequence[tuple[str, bytes | None]]


def header_value(headers: Headers, name: str) -> str | None:
    """The last value of header `name` (None when there is none).

    The last one: a message dead-lettered twice carries two sets, and the later is the latest.
    """
    found = [value for key, value in headers if key == name]
    return found[-1].decode(errors="replace") if found and found[-1] is not None else None


def message_fields(message: Message) -> dict[str, Any]:
    """Where a message was in Kafka, and the request that produced its event (for log lines)."""
    return {
        "partition": message.partition(),
        "offset": message.offset(),
        "request_id": header_value(headers_of(message), REQUEST_ID),
    }
