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


def metadata_headers(event: StoredEvent) -> dict[str, bytes]:
    """The event's metadata that travels (envelope.METADATA_HEADERS), those it has."""
    found = {name: event.metadata.get(name) for name in envelope.METADATA_HEADERS}
    return {name: value.encode() for name, value in found.items() if value}


def headers(event: StoredEvent) -> list[tuple[str, bytes]]:
    return [
        (envelope.HEADER_EVENT_TYPE, event.event_type.encode()),
        (envelope.HEADER_SCHEMA_VERSION, str(event.schema_version).encode()),
        *metadata_headers(event).items(),
    ]


def outgoing(event: StoredEvent, keyring: Keyring) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """Key, value and headers of the event's message, signed (apps/contract/signing.py)."""
    key, value = event.aggregate_id.encode(), encode(event)
    signature = keyring.sign(key, value, metadata_headers(event))
    return key, value, [*headers(event), (envelope.HEADER_SIGNATURE, signature)]
