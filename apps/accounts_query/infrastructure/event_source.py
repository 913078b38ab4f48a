"""The event store as the read side sees it: its public reader, in the contract's messages.

The projector fills gaps from it, replay reads everything from it. The store holds other
aggregates' streams too; this source passes over every stream that is not an account's by its
aggregate type alone, knowing nothing of what those others are.
"""

from collections.abc import Iterator
from uuid import UUID

from apps.contract.account_events import AGGREGATE_TYPE
from apps.eventstore.reading import EventReader

from ..domain.event_message import EventMessage, parse


class StoreEventSource:
    def __init__(self, reader: EventReader) -> None:
        self.reader = reader
        self.passed_over = 0  # events of other aggregates read_all has skipped so far

    def read_stream(
        self, account_id: UUID, after_version: int = 0, up_to_version: int | None = None
    ) -> list[EventMessage]:
        limit = None if up_to_version is None else up_to_version - after_version
        return [parse(m) for m in self.reader.stream(str(account_id), after_version, limit)]

    def read_history(self, account_id: UUID) -> list[tuple[EventMessage, str | None]]:
        """The account's events, each with its actor (None: stored before actors were)."""
        return [
            (parse({k: v for k, v in m.items() if k != "metadata"}), m["metadata"]["actor"])
            for m in self.reader.history(str(account_id))
        ]

    def read_all(self, batch_size: int) -> Iterator[list[EventMessage]]:
        for batch in self.reader.all(batch_size):
            mine = [m for m in batch if m.get("aggregate_type") == AGGREGATE_TYPE]
            self.passed_over += len(batch) - len(mine)
            yield [parse(m) for m in mine]

    def count(self) -> int:
        # Every aggregate's events: counting only accounts' would scan the whole collection.
        return self.reader.count()

    def account_exists(self, account_id: UUID) -> bool:
        first = self.reader.stream(str(account_id), 0, 1)
        return bool(first) and first[0].get("aggregate_type") == AGGREGATE_TYPE
