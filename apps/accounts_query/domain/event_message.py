"""The read side's reading of the event contract (apps/contract): one message, checked.

It accepts exactly what the write side can produce, and nothing else: every field is checked
against the contract's table; any message that fails is poison (PoisonMessage), never a crash.
"""

import re
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple, TypeGuard
from uuid import UUID

import orjson

from apps.contract import envelope
from apps.contract.account_events import (
    AGGREGATE_TYPE,
    EVENTS,
    HOLDER_MAX_LENGTH,
    MONEY_LIMITS,
    UPCASTERS,
    AccountType,
    FieldKind,
)

# Money as the write side writes it: ASCII digits, at most two places, never a sign.
MONEY_TEXT = re.compile(r"[0-9]{1,13}(\.[0-9]+)?")
# The same with at most two places: the fast path of the check (a miss is judged slowly).
MONEY_TWO_PLACES = re.compile(r"[0-9]{1,13}(\.[0-9]{1,2})?")
# A UUID in the form str(UUID) gives: accepted as it is, without a round trip through UUID.
CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MAX_VERSION = 2**31 - 1  # the read model's version column
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
ACCOUNT_TYPES = frozenset(t.value for t in AccountType)
FIELD_NAMES = {name: frozenset(schema.fields) for name, schema in EVENTS.items()}


class PoisonMessage(Exception):
    """A message the projection can never apply: undecodable, unknown, or invalid."""


class EventMessage(NamedTuple):
    # A NamedTuple, not a frozen dataclass: one is built per event on the projection's hot
    # path, at a third of the cost.
    event_id: str
    event_type: str
    schema_version: int
    aggregate_id: UUID
    version: int
    timestamp: datetime
    data: dict[str, Any]


def decode(raw: bytes | None) -> EventMessage:
    try:
        # orjson: a third of the projection's time went to the standard library's parser.
        # Money travels as strings, so no JSON number needs to become a Decimal.
        doc = orjson.loads(raw or b"")
    except orjson.JSONDecodeError as exc:
        raise PoisonMessage(f"undecodable JSON: {exc}") from None
    return parse(doc)


def parse(doc: Any) -> EventMessage:
    """Checks a decoded message; the event store's reader hands its messages here too."""
    if not isinstance(doc, dict):
        raise PoisonMessage("message is not a JSON object")
    # Only accounts' events travel on this topic (other aggregates have topics of their own):
    # anything else here is poison, whatever its type.
    aggregate_type = doc.get("aggregate_type", AGGREGATE_TYPE)
    if aggregate_type != AGGREGATE_TYPE:
        raise PoisonMessage(f"invalid aggregate_type {_shown(aggregate_type)}")
    event_type = doc.get("event_type")
    if not isinstance(event_type, str) or (schema := EVENTS.get(event_type)) is None:
        raise PoisonMessage(f"unknown event type {_shown(event_type)}")
    schema_version = doc.get("schema_version")
    if not _is_int(schema_version) or not 1 <= schema_version <= schema.schema_version:
        raise PoisonMessage(f"{event_type} has unknown schema {_shown(schema_version)}")
    version = doc.get("version")
    if not _is_int(version) or not 1 <= version <= MAX_VERSION:
        raise PoisonMessage(f"invalid version {_shown(version)}")
    data = doc.get("data")
    if not isinstance(data, dict):
        raise PoisonMessage("data is not an object")
    if schema_version != schema.schema_version:
        data = _upcast(event_type, schema_version, data)
    if data.keys() != FIELD_NAMES[event_type]:
        raise PoisonMessage(f"{event_type} data has fields {_shown(sorted(map(str, data)))}")
    for name, kind in schema.fields.items():
        _check(kind, name, data[name])
    # Positional: one is built per event, and keywords cost a third more.
    return EventMessage(
        _uuid_text(doc.get("event_id"), "event_id"),
        event_type,
        schema.schema_version,
        _uuid(doc.get("aggregate_id"), "aggregate_id"),
        version,
        _timestamp(doc.get("timestamp")),
        data,
    )


def _upcast(event_type: str, schema_version: int, data: dict[str, Any]) -> dict[str, Any]:
    # An older shape (a message published before a schema change) is lifted as the store does.
    while (step := UPCASTERS.get((event_type, schema_version))) is not None:
        data, schema_version = step(dict(data)), schema_version + 1
    return data


def _check(kind: FieldKind, name: str, value: Any) -> None:
    if kind is FieldKind.HOLDER:
        if not isinstance(value, str) or len(value) > HOLDER_MAX_LENGTH:
            raise PoisonMessage(f"invalid {name}")
        if not value.strip() or not value.isprintable():
            raise PoisonMessage(f"{name} is blank or has control characters")
    elif kind is FieldKind.ID:
        _uuid_text(value, name)
    elif kind is FieldKind.ACCOUNT_TYPE:
        if not isinstance(value, str) or value not in ACCOUNT_TYPES:
            raise PoisonMessage(f"invalid {name} {_shown(value)}")
    elif isinstance(value, str) and MONEY_TWO_PLACES.fullmatch(value):
        if Decimal(value) >= MONEY_LIMITS[kind]:
            raise PoisonMessage(f"{name} {value} is not below {MONEY_LIMITS[kind]}")
    elif not isinstance(value, str) or not MONEY_TEXT.fullmatch(value):
        raise PoisonMessage(f"invalid {name} {_shown(value)}")
    elif len(value.partition(".")[2]) > 2:
        raise PoisonMessage(f"{name} has more than two decimal places")
    elif Decimal(value) >= MONEY_LIMITS[kind]:
        raise PoisonMessage(f"{name} {value} is not below {MONEY_LIMITS[kind]}")


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _uuid(value: Any, name: str) -> UUID:
    if not isinstance(value, str) or len(value) > envelope.MAX_ID_LENGTH:
        raise PoisonMessage(f"invalid {name} {_shown(value)}")
    found = _parsed_uuid(value)
    if found is None:
        raise PoisonMessage(f"invalid {name} {_shown(value)}")
    return found


@lru_cache(maxsize=10_000)
def _parsed_uuid(value: str) -> UUID | None:
    # An account's id comes with each of its events: parsed once while it is busy.
    try:
        return UUID(value)
    except ValueError:
        return None


def _uuid_text(value: Any, name: str) -> str:
    """`value` as str(UUID(value)) writes it; an event id is seen once, so it is not cached."""
    if isinstance(value, str) and CANONICAL_UUID.fullmatch(value):
        return value
    if not isinstance(value, str) or len(value) > envelope.MAX_ID_LENGTH:
        raise PoisonMessage(f"invalid {name} {_shown(value)}")
    try:
        return str(UUID(value))
    except ValueError:
        raise PoisonMessage(f"invalid {name} {_shown(value)}") from None


def _timestamp(value: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        if moment is not None and moment.tzinfo is None:
            raise PoisonMessage("timestamp has no time zone")
        moment = moment.astimezone(UTC) if moment is not None else None
    except (ValueError, OverflowError):  # a year-9999 moment west of UTC overflows
        moment = None
    if moment is None or moment < EARLIEST:
        raise PoisonMessage(f"invalid timestamp {_shown(value)}")
    return moment


def _shown(value: Any) -> str:
    # A reason goes into a Kafka header and a log line: never the whole of a hostile value.
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."
