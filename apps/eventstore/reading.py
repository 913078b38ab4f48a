"""The event store's public read interface: what another bounded context may read.

Events come out in the contract's envelope (apps/contract/envelope.py), the same shape as on
Kafka, so a reader needs nothing of the store but this module.
"""

from collections.abc import Iterator
from typing import Any

from apps.contract.envelope import public_metadata

from . import wire
from .interface import ApplicationRecorder

Message = dict[str, Any]


class EventReader:
    def __init__(self, store: ApplicationRecorder) -> None:
        self._store = store

    def stream(
        self, aggregate_id: str, after_version: int = 0, limit: int | None = None
    ) -> list[Message]:
        """The stream's events after `after_version`, in version order."""
        events = self._store.read_stream(aggregate_id, after_version, limit)
        return [wire.message(e) for e in events]

    def history(
        self, aggregate_id: str, after_version: int = 0, limit: int | None = None
    ) -> list[Message]:
        """As `stream`, each message with its `metadata`: who caused it and why (every key of
        envelope.METADATA_HEADERS, None where the event has none; never the idempotency key)."""
        events = self._store.read_stream(aggregate_id, after_version, limit)
        return [{**wire.message(e), "metadata": public_metadata(e.metadata)} for e in events]

    def all(self, batch_size: int) -> Iterator[list[Message]]:
        """Every event once, in batches, in the order stored (interface.ApplicationRecorder.scan).

        That is nearly always each stream's version order, but not promised: a reader that
        folds streams puts an early event aside until the versions before it have come.
        """
        for batch in self._store.scan(batch_size):
            yield [wire.message(e) for e in batch]

    def count(self) -> int:
        return self._store.count()

    def aggregate_type(self, aggregate_id: str) -> str | None:
        """The type of the aggregate whose stream this is; None if there is no stream."""
        first = self._store.get(aggregate_id, 1)
        return first.aggregate_type if first else None
