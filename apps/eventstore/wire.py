"""A stored event in the contract's envelope (apps/contract/envelope.py), for Kafka."""

from typing import Any

import orjson

from apps.contract import envelope
from apps.contract.signing import Keyring

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
        "timestamp": envelope.timestamp_text(event.timestamp),
        "data": event.data,
    }


def encode(event: StoredEvent) -> bytes:
    return orjson.dumps(message(event))


def headers(event: StoredEvent) -> list[tuple[str, bytes]]:
    found = [
        (envelope.HEADER_EVENT_TYPE, event.event_type.encode()),
        (envelope.HEADER_SCHEMA_VERSION, str(event.schema_version).encode()),
    ]
    if request_id := event.metadata.get("request_id"):
        found.append((envelope.HEADER_REQUEST_ID, request_id.encode()))
    return found


def outgoing(event: StoredEvent, keyring: Keyring) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """Key, value and headers of the event's message, signed (apps/contract/signing.py)."""
    key, value = event.aggregate_id.encode(), encode(event)
    return key, value, [*headers(event), (envelope.HEADER_SIGNATURE, keyring.sign(key, value))]
