"""The audit log's reads of the event store, for the GetAccountHistory query."""

from uuid import UUID

from apps.contract.account_events import AGGREGATE_TYPE
from apps.contract.envelope import public_metadata
from apps.eventstore.interface import StreamReader

from ..application.ports import HistoryEvent


class StoreHistoryReader:
    def __init__(self, store: StreamReader) -> None:
        self.store = store

    def read(self, account_id: UUID, after_version: int, limit: int) -> list[HistoryEvent]:
        events = self.store.read_stream(str(account_id), after_version=after_version, limit=limit)
        if events and events[0].aggregate_type != AGGREGATE_TYPE:
            return []  # another aggregate's stream (a transfer's): no account's history
        return [
            HistoryEvent(
                e.event_id,
                e.event_type,
                e.version,
                e.schema_version,
                e.timestamp,
                e.data,
                public_metadata(e.metadata),
            )
            for e in events
        ]

    def exists(self, account_id: UUID) -> bool:
        first = self.store.get(str(account_id), 1)
        return first is not None and first.aggregate_type == AGGREGATE_TYPE
