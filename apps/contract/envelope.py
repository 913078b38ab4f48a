"""The envelope every event travels in: on Kafka, and out of the event store's read interface.

Value: UTF-8 JSON with the FIELDS below; the timestamp is ISO 8601 in UTC with milliseconds and
money inside `data` is a string. Key: the aggregate id, so that one account's events stay in
order in one partition. Headers: event_type and schema_version (to route without parsing); the
event's METADATA_HEADERS, each only when the stored event has it: request_id (the request that
stored it), actor (who caused it: an identity UUID, `user:<pk>`, or `system:<process>`),
correlation_id (the request that started it all, carried through the transfer saga) and
causation_id (the command, or the event, that caused it); and `signature`: the HMAC that
authenticates the key, the value and the metadata headers (signing.py; a consumer applies no
message without a valid one). Events stored before actors were recorded carry none of actor,
correlation_id and causation_id: a consumer takes a message with or without them.
"""

from collections.abc import Mapping
from datetime import UTC, datetime

FIELDS = (
    "event_type",
    "schema_version",
    "event_id",
    "aggregate_id",
    "aggregate_type",
    "version",
    "timestamp",
    "data",
)
HEADER_EVENT_TYPE = "event_type"
HEADER_SCHEMA_VERSION = "schema_version"
HEADER_REQUEST_ID = "request_id"
HEADER_ACTOR = "actor"
HEADER_CORRELATION_ID = "correlation_id"
HEADER_CAUSATION_ID = "causation_id"
# Who caused an event and why, from its stored metadata: the headers that carry them, the keys
# of every history item's `metadata`, in this order (signing.py covers them in this order).
# Never the hashed idempotency key, which stays in the store.
METADATA_HEADERS = (HEADER_REQUEST_ID, HEADER_ACTOR, HEADER_CORRELATION_ID, HEADER_CAUSATION_ID)
HEADER_SIGNATURE = "signature"  # apps/contract/signing.py
# Longest event_id and aggregate_id a reader accepts (a UUID is 36 characters).
MAX_ID_LENGTH = 64


def public_metadata(metadata: Mapping[str, str]) -> dict[str, str | None]:
    """What a reader is shown of a stored event's metadata: every METADATA_HEADERS key, None
    where the event has none (stored before actors were recorded, or by no request)."""
    return {name: metadata.get(name) or None for name in METADATA_HEADERS}


def timestamp_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")
