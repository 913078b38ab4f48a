"""The context of the work in hand (one HTTP request, one consumed batch, one saga step):
fields that every log line written meanwhile carries, and the metadata the events it produced
keep (who caused them and why: `event_metadata`).

Plain Python (contextvars only), so that any layer may read it without importing Django. A
context variable, not a thread-local: each thread, and each asyncio task, sees its own.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from types import MappingProxyType
from typing import Any

# The header a client may send, and gets back, to name its request.
REQUEST_ID_HEADER = "X-Request-ID"
# Printable ASCII only: the id goes into log lines and Kafka headers verbatim, so a control
# character or a megabyte of text from a client must never get there.
_VALID_REQUEST_ID = re.compile(r"[\x20-\x7e]{1,200}")

_EMPTY: Mapping[str, Any] = MappingProxyType({})
_fields: ContextVar[Mapping[str, Any]] = ContextVar("techbank_log_context", default=_EMPTY)


def current() -> dict[str, Any]:
    """The fields bound now (a copy)."""
    return dict(_fields.get())


def request_id() -> str | None:
    value = _fields.get().get("request_id")
    return value if isinstance(value, str) else None


def bind(**fields: Any) -> Token[Mapping[str, Any]]:
    """Adds `fields` to the context; `reset(token)` puts back what was there before."""
    # A new mapping each time: a context copied into another thread keeps what it had.
    return _fields.set(MappingProxyType({**_fields.get(), **fields}))


def reset(token: Token[Mapping[str, Any]]) -> None:
    _fields.reset(token)


@contextmanager
def bound(**fields: Any) -> Iterator[None]:
    """`fields` are in the context inside the block, and gone after it."""
    token = bind(**fields)
    try:
        yield
    finally:
        reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(proposed: str | None) -> str:
    """The client's id if it is 1-200 printable ASCII characters, else a new one."""
    if proposed is not None and _VALID_REQUEST_ID.fullmatch(proposed) and proposed.strip():
        return proposed
    return new_request_id()


# What a stored event keeps of the context that produced it: who caused it (`actor`: the
# identity UUID of the user who issued the command, `user:<pk>` for a user with no identity,
# `system:<process>` for a process), the request that started it all (`correlation_id`: the
# request id, carried through the transfer saga), what caused it directly (`causation_id`: the
# command's id, or the event that caused it), the request id (a Kafka header too), and the
# hashed idempotency key that finds the event of a request that died (never shown or sent).
EVENT_METADATA = ("request_id", "idempotency_key", "actor", "correlation_id", "causation_id")
SYSTEM = "system:"


def system_actor(process: str) -> str:
    """The actor of the events a process records by itself, e.g. `system:run_transfers`."""
    return f"{SYSTEM}{process}"


def new_causation_id() -> str:
    """The id of one command: its events name it as their cause."""
    return str(uuid.uuid4())


def event_metadata() -> dict[str, str]:
    fields = _fields.get()
    found = {name: fields[name] for name in EVENT_METADATA if isinstance(fields.get(name), str)}
    # A request is its own correlation: only a process acting on behalf of an earlier request
    # (the saga) binds another.
    if "correlation_id" not in found and "request_id" in found:
        found["correlation_id"] = found["request_id"]
    return found


@contextmanager
def acting_as(process: str) -> Iterator[None]:
    """Inside the block, events recorded are `system:<process>`'s, each block one command."""
    with bound(actor=system_actor(process), causation_id=new_causation_id()):
        yield
