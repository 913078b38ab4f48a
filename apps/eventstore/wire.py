"""The event contract on the wire: the only thing the read side shares with the write side.

Value: UTF-8 JSON with event_type, schema_version, event_id, aggregate_id, aggregate_type,
version, timestamp (ISO 8601, UTC, milliseconds) and data. Key: the aggregate id, so that one
account's events stay in order in one partition. Headers: event_type, schema_version, and
the stored event's metadata (request_id, when a request produced the event).
"""

import json
from datetime import UTC
from typing import Any

from .records import StoredEvent


def message(event: StoredEvent) -> dict[str, Any]:
    """The value before serialisation: only JSON types (money is already a string)."""
    return {
        "event_type": event.event_type,
        "schema_version": event.schema_version,
        "event_id": event.event_id,
        "aggregate_id": event.aggregate_id,
        "aggregate_type": event.aggregate_type,
        "version": event.version,
        "timestamp": event.timestamp.astimezone(UTC).isoformat(timespec="milliseconds"),
        "data": event.data,
    }


def encode(event: StoredEvent) -> bytes:
    return json.dumps(message(event), separators=(",", ":")).encode()


def headers(event: StoredEvent) -> list[tuple[str, bytes]]:
    return [
        ("event_type", event.event_type.encode()),
        ("schema_version", str(event.schema_version).encode()),
        *((name, value.encode()) for name, value in event.metadata.items()),
    ]
