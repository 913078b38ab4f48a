"""Reading the values of a consumed message's envelope, shared by every context's message
reader: each names its own error type, so a refusal says whose contract was broken."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeGuard
from uuid import UUID

from . import envelope


def is_int(value: Any) -> TypeGuard[int]:
    """An int that is not a bool (JSON's true is no version number); narrows for mypy."""
    return isinstance(value, int) and not isinstance(value, bool)


def read_uuid(value: Any, name: str, error: type[Exception]) -> UUID:
    if isinstance(value, str) and len(value) <= envelope.MAX_ID_LENGTH:
        try:
            return UUID(value)
        except ValueError:
            pass
    raise error(f"invalid {name} {shown(value)}")


def read_timestamp(value: Any, error: type[Exception]) -> datetime:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise error(f"invalid timestamp {shown(value)}")
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # a year-9999 moment west of UTC
        raise error(f"invalid timestamp {shown(value)}") from None


def shown(value: Any) -> str:
    # A reason goes into a Kafka header and a log line: never the whole of a hostile value.
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."
