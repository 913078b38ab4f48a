"""The event store as the read side sees it: its public reader, in the contract's messages.

The projector fills gaps from it, replay reads everything from it.
"""

from collections.abc import Iterator
from uuid import UUID

from apps.eventstore.reading import EventReader

from ..domain.event_message import EventMessage, ForeignMessage, parse


class StoreEventSource:
    def __init__(self, reader: EventReader) -> None:
        self.reader = reader

    def read_stream(
        self, account_id: UUID, after_version: int = 0, up_to_version: int | None = None
    ) -> list[EventMessage]:
        limit = None if up_to_version is None else up_to_version - after_version
        return [parse(m) for m in self.reader.stream(str(account_id), after_version, limit)]

    def read_all(self, batch_size: int) -> Iterator[list[EventMessage]]:
        for batch in self.reader.all(batch_size):
            yield [event for event in map(_parsed, batch) if event is not None]

    def count(self) -> int:
        return self.reader.count()

    def account_exists(self, account_id: UUID) -> bool:
        return self.reader.exists(str(account_id))


def _parsed(message: dict) -> EventMessage | None:
    try:
        return parse(message)
    except ForeignMessage:  # a transfer's own stream: not an account's
        return None
