"""Reading one transfer message against the contract (apps/contract/transfer_events.py).

Plain Python. It accepts what the event store can publish for a Transfer stream and nothing
else; any other message is poison (InvalidTransferMessage with the reason), never a crash, so
the consumers dead-letter it and go on.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple
from uuid import UUID

import orjson

from apps.contract import transfer_events
from apps.contract.account_events import MAX_SECONDS, MONEY_LIMITS, FieldKind
from apps.contract.message_values import is_int as _is_int
from apps.contract.message_values import read_timestamp, read_uuid
from apps.contract.message_values import shown as _shown
from apps.contract.transfer_events import UPCASTERS

# Money as the write side writes it: ASCII digits, at most two places, never a sign.
MONEY_TEXT = re.compile(r"[0-9]{1,13}(\.[0-9]{1,2})?")
CODE_TEXT = re.compile(r"[a-z][a-z0-9_]{0,63}")  # a domain error code
MAX_VERSION = 2**31 - 1


class InvalidTransferMessage(Exception):
    """A message no transfer consumer can ever handle: the reason is the message."""


class TransferMessage(NamedTuple):
    event_id: str
    event_type: str
    transfer_id: UUID
    version: int
    timestamp: datetime
    data: dict[str, Any]


def decode(key: bytes | None, raw: bytes | None) -> TransferMessage:
    """A Kafka message's key and value; the key must be the transfer's id."""
    try:
        doc = orjson.loads(raw or b"")
    except orjson.JSONDecodeError as exc:
        raise InvalidTransferMessage(f"undecodable JSON: {exc}") from None
    message = parse(doc)
    try:
        keyed = UUID((key or b"").decode())
    except (UnicodeDecodeError, ValueError):
        raise InvalidTransferMessage(f"key {_shown(key)} is not a UUID") from None
    if keyed != message.transfer_id:
        raise InvalidTransferMessage(f"key {keyed} is not the aggregate_id {message.transfer_id}")
    return message


def parse(doc: Any) -> TransferMessage:
    """A decoded envelope (from Kafka, or from the event store's reader)."""
    if not isinstance(doc, dict):
        raise InvalidTransferMessage("message is not a JSON object")
    if doc.get("aggregate_type") != transfer_events.AGGREGATE_TYPE:
        raise InvalidTransferMessage(f"invalid aggregate_type {_shown(doc.get('aggregate_type'))}")
    event_type = doc.get("event_type")
    schemas = transfer_events.EVENTS
    if not isinstance(event_type, str) or (schema := schemas.get(event_type)) is None:
        raise InvalidTransferMessage(f"unknown event type {_shown(event_type)}")
    schema_version = doc.get("schema_version")
    if not _is_int(schema_version) or not 1 <= schema_version <= schema.schema_version:
        raise InvalidTransferMessage(f"{event_type} has unknown schema {_shown(schema_version)}")
    version = doc.get("version")
    if not _is_int(version) or not 1 <= version <= MAX_VERSION:
        raise InvalidTransferMessage(f"invalid version {_shown(version)}")
    data = doc.get("data")
    if not isinstance(data, dict):
        raise InvalidTransferMessage("data is not an object")
    while schema_version < schema.schema_version:
        step = UPCASTERS.get((event_type, schema_version))
        if step is None:
            raise InvalidTransferMessage(f"{event_type} schema {schema_version} has no upcaster")
        data, schema_version = step(dict(data)), schema_version + 1
    if data.keys() != schema.fields.keys():
        raise InvalidTransferMessage(f"{event_type} data has fields {_shown(sorted(data))}")
    for name, kind in schema.fields.items():
        _check(kind, name, data[name])
    return TransferMessage(
        str(_uuid(doc.get("event_id"), "event_id")),
        event_type,
        _uuid(doc.get("aggregate_id"), "aggregate_id"),
        version,
        _timestamp(doc.get("timestamp")),
        data,
    )


def _check(kind: FieldKind, name: str, value: Any) -> None:
    if kind is FieldKind.ID:
        _uuid(value, name)
    elif kind is FieldKind.CODE:
        if not isinstance(value, str) or not CODE_TEXT.fullmatch(value):
            raise InvalidTransferMessage(f"invalid {name} {_shown(value)}")
    elif kind in MONEY_LIMITS:
        if not isinstance(value, str) or not MONEY_TEXT.fullmatch(value):
            raise InvalidTransferMessage(f"invalid {name} {_shown(value)}")
        if Decimal(value) >= MONEY_LIMITS[kind]:
            raise InvalidTransferMessage(f"{name} {value} is not below {MONEY_LIMITS[kind]}")
    elif _is_int(value):
        # A count of seconds (timeout_seconds): the one other kind a transfer event carries.
        if not 0 < value <= MAX_SECONDS:
            raise InvalidTransferMessage(f"{name} {value} is out of range")
    else:
        raise InvalidTransferMessage(f"invalid {name} {_shown(value)}")


def _uuid(value: Any, name: str) -> UUID:
    return read_uuid(value, name, InvalidTransferMessage)


def _timestamp(value: Any) -> datetime:
    return read_timestamp(value, InvalidTransferMessage)
