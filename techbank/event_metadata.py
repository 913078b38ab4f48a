"""What the events recorded while handling one request carry besides their data.

The API binds the request's id and idempotency key here for the duration of a command; the
write side's repository reads them when it records the command's events, so the store keeps
them with each event and Kafka's headers carry them on. Plain Python (contextvars), so any
layer may import it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_metadata: ContextVar[dict[str, str] | None] = ContextVar("event_metadata", default=None)


@contextmanager
def bound(**fields: str) -> Iterator[None]:
    """Adds `fields` to the metadata of events recorded inside the `with` block."""
    token = _metadata.set({**(_metadata.get() or {}), **fields})
    try:
        yield
    finally:
        _metadata.reset(token)


def current() -> dict[str, str]:
    return dict(_metadata.get() or {})
