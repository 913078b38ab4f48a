"""Each account's events in version order, from a read in the order the store keeps them.

The store's full read (EventReader.all) streams events as stored, which is each stream's
version order whenever every event was appended after the one before it: nearly always, but
not promised. An event that comes before its predecessor waits here until they have come.
"""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

from ..domain.event_message import EventMessage


class InOrder:
    def __init__(self) -> None:
        self.versions: dict[UUID, int] = {}  # the last version let through, per account
        self.early: dict[UUID, dict[int, EventMessage]] = {}

    def put(self, event: EventMessage) -> Iterator[EventMessage]:
        """`event` and those it was holding back, in version order; nothing if it is early.

        A version at or below one already let through comes out too: the fold refuses it.
        """
        account = event.aggregate_id
        due = self.versions.get(account, 0) + 1
        if event.version > due:
            self.early.setdefault(account, {})[event.version] = event
            return
        if event.version == due:
            self.versions[account] = due
        yield event
        waiting = self.early.get(account)
        while waiting and (after := waiting.pop(self.versions[account] + 1, None)):
            self.versions[account] = after.version
            yield after
        if waiting is not None and not waiting:
            del self.early[account]

    def stranded(self) -> list[EventMessage]:
        """Events still waiting at the end: the store lacks a version before each."""
        return [e for waiting in self.early.values() for e in waiting.values()]
