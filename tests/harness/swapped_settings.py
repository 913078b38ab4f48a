"""One way to point the app at another server (a private or frozen one, a topic of a test's own)
and back: the `swapped_settings` fixture. `swapped_settings(NAME=value, ...)` swaps at once and
returns the swap: a fixture undoes it with `with`, on its own teardown; a test may leave it to
the fixture's.

A swap sets the Django settings of this process (children started meanwhile get them through
child_env()), reconnects the event store's MongoDB client when MONGODB_URL changes, and rewires
the web process's objects (tests/wired.py) so that the publisher, the topics and the store all
follow. Undone in reverse order, it puts back the old values the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest


def connect_event_store(url: str) -> None:
    """The event store's documents (mongoengine's default connection) on `url` from now on."""
    import mongoengine

    mongoengine.disconnect()
    mongoengine.connect(
        host=url,
        tz_aware=True,
        connect=False,
        uuidRepresentation="standard",
        serverSelectionTimeoutMS=5000,
    )


def _point_at(values: dict[str, Any]) -> None:
    from django.conf import settings

    from tests import wired

    for name, value in values.items():
        setattr(settings, name, value)
    if "MONGODB_URL" in values:
        connect_event_store(values["MONGODB_URL"])
    wired.rewire()  # every part reads the settings it needs when it is built


class Swap(AbstractContextManager["Swap"]):
    """Settings `values` from now on; back to the old ones on leaving the `with` or `undo()`."""

    def __init__(self, **values: Any) -> None:
        from django.conf import settings

        self.old = {name: getattr(settings, name) for name in values}
        self.done = False
        _point_at(values)

    def undo(self) -> None:
        if not self.done:
            self.done = True
            _point_at(self.old)

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.undo()


@pytest.fixture
def swapped_settings() -> Iterator[Callable[..., Swap]]:
    """`swapped_settings(NAME=value)` swaps now; what is not undone by then (a `with` around
    it, or `undo()`) is undone at this fixture's teardown, last swap first."""
    made: list[Swap] = []

    def swap(**values: Any) -> Swap:
        made.append(Swap(**values))
        return made[-1]

    yield swap
    for swap_made in reversed(made):
        swap_made.undo()


def file_throttle_caches(folder: Path) -> dict[str, dict[str, str]]:
    """CACHES with the throttle's real file cache in `folder` (a test's own: no counts from
    other tests) and the default cache in memory."""
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": {
            "BACKEND": "api_platform.file_cache.LockedFileCache",
            "LOCATION": str(folder / "throttle"),
        },
    }
