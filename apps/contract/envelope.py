"""The envelope every event travels in: on Kafka, and out of the event store's read interface.

Value: UTF-8 JSON with the FIELDS below; the timestamp is ISO 8601 in UTC with milliseconds and
money inside `data` is a string. Key: the aggregate id, so that one account's events stay in
order in one partition. Headers: event_type and schema_version (to route without parsing),
request_id when a request produced the event, and `signature`: the HMAC that authenticates the
key and value (signing.py; a consumer applies no message without a valid one).
"""

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
HEADER_SIGNATURE = "signature"  # apps/contract/signing.py
# Longest event_id and aggregate_id a reader accepts (a UUID is 36 characters).
MAX_ID_LENGTH = 64


def timestamp_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")
