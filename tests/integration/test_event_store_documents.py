"""What the store on FerretDB keeps underneath its interface: one document per event keyed by
records.event_key, the unique indexes that decide races, snapshots in a collection of their
own, and old shapes left as stored while every read lifts them."""

import uuid
from decimal import Decimal

import pytest
from pymongo.errors import DuplicateKeyError

from apps.accounts_command.bootstrap import build_dispatcher
from apps.accounts_command.domain.commands import DepositFunds
from apps.accounts_command.infrastructure.repository import EventSourcedAccountRepository
from apps.eventstore.documents import EventDocument, SnapshotDocument
from apps.eventstore.records import Snapshot, event_key
from tests.integration.stored_events import T0, fill, make_store, new_id

pytestmark = pytest.mark.usefixtures("event_store_db")


@pytest.fixture
def store():
    return make_store("ferretdb")


@pytest.fixture
def events():
    return EventDocument._get_collection()


def test_the_document_id_is_the_event_key(store, events):
    stream = new_id()
    [event] = fill(store, stream, 1)

    doc = events.find_one({"_id": event_key(stream, 1)})

    assert doc is not None
    assert doc["_id"] == f"{stream}:0000000001"
    assert doc["event_id"] == event.event_id
    assert doc["aggregate_id"] == stream
    assert doc["version"] == 1
    assert doc["data"] == event.data


# --- the unique indexes ----------------------------------------------------------------------


def test_the_unique_stream_index_exists(events):
    info = events.index_information()

    assert "stream" in info
    assert info["stream"]["key"] == [("aggregate_id", 1), ("version", 1)]
    assert info["stream"].get("unique") is True


def test_the_unique_event_id_index_exists(events):
    indexes = events.index_information()
    assert indexes["event_id"]["unique"] is True
    assert indexes["event_id"]["key"] == [("event_id", 1)]


def test_the_idempotency_key_index_exists(events):
    # find_by_idempotency_key's filter (FerretDB on SQLite may still scan: asked rarely).
    indexes = events.index_information()
    assert indexes["idempotency_key"]["key"] == [("metadata.idempotency_key", 1)]


def test_the_unique_index_rejects_a_duplicate_version_under_another_id(store, events):
    stream = new_id()
    [event] = fill(store, stream, 1)
    forged = {
        "_id": f"forged-{uuid.uuid4().hex}",
        "event_id": str(uuid.uuid4()),
        "aggregate_id": stream,
        "aggregate_type": "BankAccount",
        "version": 1,
        "event_type": "FundsDeposited",
        "schema_version": 1,
        "data": {"amount": "666.00", "balance": "666.00"},
        "timestamp": T0,
    }

    with pytest.raises(DuplicateKeyError):
        events.insert_one(forged)

    assert events.count_documents({"aggregate_id": stream}) == 1
    assert store.read_stream(stream) == [event]


def test_the_unique_index_allows_the_same_version_in_another_stream(events):
    for stream in (new_id(), new_id()):
        events.insert_one({"_id": uuid.uuid4().hex, "aggregate_id": stream, "version": 1})
    assert events.count_documents({"version": 1}) == 2


# --- snapshots -------------------------------------------------------------------------------


def test_snapshots_are_kept_apart_from_the_events(store, events):
    store.save_snapshot(Snapshot(new_id(), "BankAccount", 1, {}))
    assert events.count_documents({}) == 0
    assert SnapshotDocument._get_collection().count_documents({}) == 1


# --- upcasting a stored old shape ----------------------------------------------------------


def old_account_opened(events, account_id):
    raw = {
        "_id": event_key(account_id, 1),
        "event_id": str(uuid.uuid4()),
        "aggregate_id": account_id,
        "aggregate_type": "BankAccount",
        "version": 1,
        "event_type": "AccountOpened",
        "schema_version": 1,
        "data": {"holder": "Old Timer", "opening_balance": "42.50"},
        "timestamp": T0,
    }
    events.insert_one(dict(raw))
    return raw


def test_read_stream_upcasts_an_old_account_opened_and_leaves_the_stored_document(store, events):
    account_id = new_id()
    raw = old_account_opened(events, account_id)

    [event] = store.read_stream(account_id)

    assert event.event_type == "AccountOpened"
    assert event.schema_version == 2
    assert event.data == {
        "holder": "Old Timer",
        "opening_balance": "42.50",
        "account_type": "SAVINGS",
    }
    assert event.timestamp == T0
    stored = events.find_one({"_id": raw["_id"]})
    assert stored["schema_version"] == 1
    assert stored["data"] == {"holder": "Old Timer", "opening_balance": "42.50"}
    assert "account_type" not in stored["data"]


def test_the_repository_loads_an_old_account_as_savings_and_can_continue_it(store, events):
    account_id = new_id()
    raw = old_account_opened(events, account_id)
    repository = EventSourcedAccountRepository(store, store.append)

    account = repository.load(uuid.UUID(account_id))

    assert account.exists
    assert account.version == 1
    assert account.account_type == "SAVINGS"
    assert account.holder == "Old Timer"
    assert account.balance == Decimal("42.50")

    dispatcher = build_dispatcher(repository, retries=5)
    result = dispatcher.dispatch(DepositFunds(uuid.UUID(account_id), Decimal("7.50")))
    assert result.version == 2
    assert repository.load(uuid.UUID(account_id)).balance == Decimal("50.00")
    stored = events.find_one({"_id": raw["_id"]})
    assert stored["schema_version"] == 1
    assert "account_type" not in stored["data"]
