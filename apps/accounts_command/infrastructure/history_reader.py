"""The audit log's reads of the event store, for the GetAccountHistory query."""

from uuid import UUID

from apps.eventstore.store import EventStore

from ..application.history import HistoryEvent


class StoreHistoryReader:
    def __init__(self, store: EventStore) -> None:
        self.store = store

    def read(self, account_id: UUID, after_version: int, limit: int) -> list[HistoryEvent]:
        events = self.store.read_stream(str(account_id), after_version=after_version, limit=limit)
        return [
            HistoryEvent(e.event_id, e.event_type, e.version, e.schema_version, e.timestamp, e.data)
            for e in events
        ]

    def exists(self, account_id: UUID) -> bool:
        return self.store.get(str(account_id), 1) is not None
