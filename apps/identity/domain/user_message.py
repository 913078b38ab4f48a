"""Reading one message of the user-events topic against the contract
(apps/contract/user_events.py), and the envelope of any topic's message for the actors' trail.

Plain Python. It accepts what the event store can publish for a User stream and nothing else;
any other message is poison (InvalidUserMessage with the reason), never a crash, so the
consumer dead-letters it and goes on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID

import orjson

from apps.contract import account_events, transfer_events, user_events
from apps.contract.account_events import FieldKind
from apps.contract.message_values import is_int as _is_int
from apps.contract.message_values import read_timestamp, read_uuid
from apps.contract.message_values import shown as _shown

MAX_VERSION = 2**31 - 1
ROLES = frozenset(role.value for role in user_events.Role)
# Every aggregate's events, for the trail: the envelope must name one of them.
KNOWN_EVENTS = {
    account_events.AGGREGATE_TYPE: account_events.EVENTS,
    transfer_events.AGGREGATE_TYPE: transfer_events.EVENTS,
    user_events.AGGREGATE_TYPE: user_events.EVENTS,
}
# What the trail keeps of a message's headers (the event's metadata as the writer put it).
METADATA_HEADERS = ("actor", "correlation_id", "causation_id", "request_id")
HEADER_TEXT = re.compile(r"[\x20-\x7e]{1,200}")


class InvalidUserMessage(Exception):
    """A message no identity consumer can ever handle: the reason is the message."""


class Envelope(NamedTuple):
    """Any event, as the actors' trail records it."""

    event_id: UUID
    aggregate_type: str
    aggregate_id: str
    version: int
    event_type: str
    timestamp: datetime
    data: dict[str, Any]
    metadata: dict[str, str]


def decode(
    key: bytes | None, raw: bytes | None, headers: Sequence[tuple[str, bytes | None]] | None
) -> Envelope:
    """A Kafka message: its value checked (a User's event field by field, any other
    aggregate's by its envelope), its key the aggregate id, its metadata headers kept."""
    try:
        doc = orjson.loads(raw or b"")
    except orjson.JSONDecodeError as exc:
        raise InvalidUserMessage(f"undecodable JSON: {exc}") from None
    message = parse(doc, metadata_of(headers))
    if (key or b"").decode("utf-8", "replace") != message.aggregate_id:
        raise InvalidUserMessage(f"key {_shown(key)} is not the aggregate_id")
    return message


def parse(doc: Any, metadata: dict[str, str]) -> Envelope:
    if not isinstance(doc, dict):
        raise InvalidUserMessage("message is not a JSON object")
    aggregate_type = doc.get("aggregate_type")
    if not isinstance(aggregate_type, str) or (schemas := KNOWN_EVENTS.get(aggregate_type)) is None:
        raise InvalidUserMessage(f"invalid aggregate_type {_shown(aggregate_type)}")
    event_type = doc.get("event_type")
    if not isinstance(event_type, str) or (schema := schemas.get(event_type)) is None:
        raise InvalidUserMessage(f"unknown event type {_shown(event_type)}")
    schema_version = doc.get("schema_version")
    if not _is_int(schema_version) or not 1 <= schema_version <= schema.schema_version:
        raise InvalidUserMessage(f"{event_type} has unknown schema {_shown(schema_version)}")
    version = doc.get("version")
    if not _is_int(version) or not 1 <= version <= MAX_VERSION:
        raise InvalidUserMessage(f"invalid version {_shown(version)}")
    data = doc.get("data")
    if not isinstance(data, dict):
        raise InvalidUserMessage("data is not an object")
    if aggregate_type == user_events.AGGREGATE_TYPE:
        # User events have no older shapes yet (user_events.UPCASTERS is empty).
        if schema_version != schema.schema_version or data.keys() != schema.fields.keys():
            raise InvalidUserMessage(f"{event_type} data has fields {_shown(sorted(data))}")
        for name, kind in schema.fields.items():
            _check(kind, name, data[name])
    return Envelope(
        _uuid(doc.get("event_id"), "event_id"),
        aggregate_type,
        str(_uuid(doc.get("aggregate_id"), "aggregate_id")),
        version,
        event_type,
        _timestamp(doc.get("timestamp")),
        data,
        metadata,
    )


def metadata_of(headers: Sequence[tuple[str, bytes | None]] | None) -> dict[str, str]:
    """The metadata headers that are there and readable (events stored before issue 19 have
    no actor: absent, not an error)."""
    found: dict[str, str] = {}
    for name, value in headers or []:
        if name in METADATA_HEADERS and isinstance(value, bytes):
            text = value.decode("ascii", "replace")
            if HEADER_TEXT.fullmatch(text):
                found[name] = text
    return found


def _check(kind: FieldKind, name: str, value: Any) -> None:
    if kind is FieldKind.USERNAME:
        ok = isinstance(value, str) and bool(user_events.USERNAME_PATTERN.fullmatch(value))
    elif kind is FieldKind.DISPLAY_NAME:
        ok = (
            isinstance(value, str)
            and len(value) <= user_events.DISPLAY_NAME_MAX_LENGTH
            and value.isprintable()
        )
    elif kind is FieldKind.ROLES:
        ok = (
            isinstance(value, list)
            and bool(value)
            and all(isinstance(role, str) and role in ROLES for role in value)
            and len(set(value)) == len(value)
        )
    elif kind is FieldKind.ROLE:
        ok = isinstance(value, str) and value in ROLES
    else:
        ok = False
    if not ok:
        raise InvalidUserMessage(f"invalid {name} {_shown(value)}")


def _uuid(value: Any, name: str) -> UUID:
    return read_uuid(value, name, InvalidUserMessage)


def _timestamp(value: Any) -> datetime:
    return read_timestamp(value, InvalidUserMessage)
