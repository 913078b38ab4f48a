"""The event store's contract (event_store_contract.py), run against each implementation: the
store on the MongoDB-protocol server (FerretDB), reading a stream's range by lookups and in one
query, and the in-memory one of the unit tests."""

import pytest

from apps.eventstore.documents import EventDocument, SnapshotDocument
from apps.eventstore.interface import ApplicationRecorder
from tests.integration.event_store_contract import EventStoreContract
from tests.integration.stored_events import make_store


class TestMongoEventStore(EventStoreContract):
    @pytest.fixture
    def store(self, event_store_db: None) -> ApplicationRecorder:
        return make_store("ferretdb")

    # The documents themselves: not one stored under another key behind the interface's back.
    def stored_events(self, store: ApplicationRecorder, aggregate_id: str) -> int:
        return EventDocument._get_collection().count_documents({"aggregate_id": aggregate_id})

    def stored_snapshots(self, store: ApplicationRecorder, aggregate_id: str) -> int:
        return SnapshotDocument._get_collection().count_documents({"_id": aggregate_id})


class TestMongoEventStoreReadingRanges(TestMongoEventStore):
    """The same, a stream's range read in one query (what `auto` does on MongoDB); FerretDB
    answers it all the same, by reading the collection."""

    @pytest.fixture
    def store(self, event_store_db: None) -> ApplicationRecorder:
        return make_store("ferretdb-ranges")


class TestInMemoryEventStore(EventStoreContract):
    @pytest.fixture
    def store(self) -> ApplicationRecorder:
        return make_store("memory")
