"""The event store's interface, one suite run against both implementations: the real store on
the MongoDB-protocol server (FerretDB) and the in-memory one the handlers' unit tests use. A test
that also looks at the raw documents (`events`) or the outbox runs on FerretDB only."""

import threading
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from pymongo.errors import DuplicateKeyError

from apps.accounts_command.bootstrap import build_dispatcher
from apps.accounts_command.domain.account import BankAccount
from apps.accounts_command.domain.commands import DepositFunds, OpenAccount, WithdrawFunds
from apps.accounts_command.domain.errors import AccountNotFound, InsufficientFunds
from apps.accounts_command.infrastructure.event_codec import from_stored
from apps.accounts_command.infrastructure.repository import EventSourcedAccountRepository
from apps.contract.account_events import UPCASTERS
from apps.eventstore.documents import EventDocument, PendingPublication, SnapshotDocument
from apps.eventstore.memory import InMemoryEventStore
from apps.eventstore.outbox import Outbox
from apps.eventstore.recorder import EventRecorder
from apps.eventstore.records import Snapshot, StoredEvent, event_key, parse_event_key
from apps.eventstore.store import EventStore
from apps.eventstore.upcasting import UpcasterChain
from kernel.concurrency import ConcurrencyError
from tests.support import wait_until

pytestmark = pytest.mark.usefixtures("event_store_db")

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def make_event(aggregate_id, version, event_type="FundsDeposited", data=None):
    return StoredEvent(
        event_id=str(uuid.uuid4()),
        aggregate_id=aggregate_id,
        aggregate_type="BankAccount",
        version=version,
        event_type=event_type,
        schema_version=1,
        data=data if data is not None else {"amount": f"{version}.00", "balance": "0.00"},
        timestamp=T0 + timedelta(seconds=version),
    )


def new_id():
    return str(uuid.uuid4())


def pytest_generate_tests(metafunc):
    if "store" in metafunc.fixturenames:
        on_ferretdb_only = {"events", "recorder"} & set(metafunc.fixturenames)
        kinds = ["ferretdb"] if on_ferretdb_only else ["ferretdb", "memory"]
        metafunc.parametrize("store", kinds, indirect=True)


@pytest.fixture
def store(request):
    implementation = EventStore if request.param == "ferretdb" else InMemoryEventStore
    return implementation(UpcasterChain(UPCASTERS))


@pytest.fixture
def outbox():
    # Batches never fall due by time here: a test decides when markers are forgotten.
    return Outbox(forget_batch=500, forget_after_seconds=3600.0)


@pytest.fixture
def recorder(outbox):
    return EventRecorder(EventStore(UpcasterChain(UPCASTERS)), outbox, publisher=None)


def repository_on(store):
    return EventSourcedAccountRepository(store, store.append)


@pytest.fixture
def events():
    return EventDocument._get_collection()


def fill(store, aggregate_id, count):
    appended = [make_event(aggregate_id, v) for v in range(1, count + 1)]
    for event in appended:
        store.append(event)
    return appended


# --- append and read ------------------------------------------------------------------------


def test_appended_events_read_back_equal_and_in_version_order(store):
    stream = new_id()
    appended = fill(store, stream, 5)
    fill(store, new_id(), 3)

    read = store.read_stream(stream)

    assert read == appended
    assert [e.version for e in read] == [1, 2, 3, 4, 5]
    assert read[0].timestamp.tzinfo is not None


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


@pytest.mark.parametrize(
    ("after", "limit", "expected"),
    [
        (0, None, [1, 2, 3, 4, 5, 6, 7]),
        (3, None, [4, 5, 6, 7]),
        (0, 2, [1, 2]),
        (2, 3, [3, 4, 5]),
        (5, 10, [6, 7]),
        (7, None, []),
        (20, 5, []),
        (6, 1, [7]),
    ],
)
def test_read_stream_after_version_and_limit(store, after, limit, expected):
    stream = new_id()
    fill(store, stream, 7)

    read = store.read_stream(stream, after_version=after, limit=limit)

    assert [e.version for e in read] == expected
    assert {e.aggregate_id for e in read} <= {stream}


def test_read_stream_of_an_unknown_stream_is_empty(store):
    fill(store, new_id(), 2)
    assert store.read_stream(new_id()) == []


def test_get_returns_one_version_or_none(store):
    stream = new_id()
    appended = fill(store, stream, 3)

    assert store.get(stream, 2) == appended[1]
    assert store.get(stream, 4) is None
    assert store.get(new_id(), 1) is None


def test_count_counts_the_events(store):
    assert store.count() == 0
    fill(store, new_id(), 3)
    fill(store, new_id(), 2)
    assert store.count() == 5


def record(recorder, aggregate_id, count):
    recorded = [make_event(aggregate_id, v) for v in range(1, count + 1)]
    for event in recorded:
        recorder.record(event)
    return recorded


def test_parse_event_key_inverts_event_key():
    stream = new_id()
    assert parse_event_key(event_key(stream, 42)) == (stream, 42)


def test_recording_leaves_an_outbox_marker_without_a_publisher(recorder, outbox):
    stream = new_id()
    record(recorder, stream, 2)

    markers = list(PendingPublication._get_collection().find({}))

    assert sorted(m["event_key"] for m in markers) == [event_key(stream, 1), event_key(stream, 2)]
    outbox.acknowledge(markers[0]["_id"])
    outbox.acknowledge(markers[1]["_id"])
    assert PendingPublication._get_collection().count_documents({}) == 2  # not yet forgotten
    outbox.forget_acknowledged()  # one round trip for the whole round of acknowledgements
    assert PendingPublication._get_collection().count_documents({}) == 0


def test_markers_are_forgotten_in_batches():
    pending = PendingPublication._get_collection()
    outbox = Outbox(forget_batch=3, forget_after_seconds=3600.0)
    recorder = EventRecorder(EventStore(), outbox, publisher=None)
    record(recorder, new_id(), 3)
    tokens = [m["_id"] for m in pending.find({})]

    outbox.acknowledge(tokens[0])
    outbox.acknowledge(tokens[1])  # two of three, and not old: kept for the next batch
    assert pending.count_documents({}) == 3
    outbox.acknowledge(tokens[2])  # a full batch
    wait_until(lambda: pending.count_documents({}) == 0, what="the full batch to be forgotten")

    record(recorder, new_id(), 1)
    (token,) = [m["_id"] for m in pending.find({})]
    outbox.acknowledge(token)
    outbox.forget_acknowledged()  # after a flush: nothing is held back
    assert pending.count_documents({}) == 0


def test_markers_are_forgotten_once_the_oldest_has_waited_long_enough():
    pending = PendingPublication._get_collection()
    outbox = Outbox(forget_batch=500, forget_after_seconds=0.2)
    record(EventRecorder(EventStore(), outbox, publisher=None), new_id(), 1)
    (token,) = [m["_id"] for m in pending.find({})]
    outbox.acknowledge(token)
    wait_until(lambda: pending.count_documents({}) == 0, timeout=5, what="a lone marker to go")


# --- uniqueness and concurrency ----------------------------------------------------------


def test_the_unique_stream_index_exists(events):
    info = events.index_information()

    assert "stream" in info
    assert info["stream"]["key"] == [("aggregate_id", 1), ("version", 1)]
    assert info["stream"].get("unique") is True


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


def test_appending_an_existing_version_raises_concurrency_error(store, events, recorder):
    stream = new_id()
    [original] = fill(store, stream, 1)
    markers = PendingPublication._get_collection().count_documents({})

    with pytest.raises(ConcurrencyError) as caught:
        recorder.record(make_event(stream, 1, data={"amount": "9.99", "balance": "9.99"}))

    assert caught.value.aggregate_id == stream
    assert caught.value.version == 1
    assert store.read_stream(stream) == [original]
    assert events.count_documents({}) == 1
    # The loser's marker is removed: it must not make the relay publish anything.
    assert PendingPublication._get_collection().count_documents({}) == markers


def test_two_threads_racing_for_one_version_exactly_one_wins(store, events):
    for _ in range(5):
        stream = new_id()
        fill(store, stream, 1)
        contenders = [
            make_event(stream, 2, data={"amount": "1.00", "who": "a"}),
            make_event(stream, 2, data={"amount": "2.00", "who": "b"}),
        ]
        barrier = threading.Barrier(2)
        outcomes = {}

        def run(event, barrier=barrier, outcomes=outcomes):
            barrier.wait()
            try:
                store.append(event)
                outcomes[event.event_id] = "won"
            except ConcurrencyError:
                outcomes[event.event_id] = "lost"

        threads = [threading.Thread(target=run, args=(e,)) for e in contenders]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)

        assert sorted(outcomes.values()) == ["lost", "won"]
        [winner] = [e for e in contenders if outcomes[e.event_id] == "won"]
        assert store.read_stream(stream, after_version=1) == [winner]
        assert events.count_documents({"aggregate_id": stream}) == 2


# --- read_all ------------------------------------------------------------------------------


def test_read_all_yields_every_event_in_batches_in_key_order(store):
    streams = [new_id() for _ in range(3)]
    appended = []
    # Interleaved: a, b, c, a, b, c, ... so append order differs from the order by key.
    for version in range(1, 5):
        for stream in reversed(streams) if version % 2 else streams:
            event = make_event(stream, version)
            store.append(event)
            appended.append(event)

    batches = list(store.read_all(batch_size=5))

    assert [len(b) for b in batches] == [5, 5, 2]
    flat = [e for batch in batches for e in batch]
    # A defined order, not the server's: by `_id`, so stream by stream in version order.
    assert flat == sorted(appended, key=lambda e: e.key)
    for stream in streams:
        assert [e.version for e in flat if e.aggregate_id == stream] == [1, 2, 3, 4]


def test_read_all_of_an_empty_store_yields_nothing(store):
    assert list(store.read_all()) == []


def test_read_all_with_an_exact_multiple_of_the_batch_size(store):
    fill(store, new_id(), 4)
    assert [len(b) for b in store.read_all(batch_size=2)] == [2, 2]


# --- snapshots -----------------------------------------------------------------------------


def test_a_snapshot_is_one_document_per_stream_and_the_latest_write_wins(store, events):
    aggregate = new_id()
    assert store.get_snapshot(aggregate) is None

    store.save_snapshot(Snapshot(aggregate, "BankAccount", 3, {"balance": "3.00"}))
    assert store.get_snapshot(aggregate) == Snapshot(
        aggregate, "BankAccount", 3, {"balance": "3.00"}
    )
    # A slower writer may put an older snapshot back (the store filters by _id alone, the
    # one filter FerretDB serves from an index); loading then just reads more events.
    store.save_snapshot(Snapshot(aggregate, "BankAccount", 2, {"balance": "2.00"}))
    assert store.get_snapshot(aggregate).version == 2
    store.save_snapshot(Snapshot(aggregate, "BankAccount", 5, {"balance": "5.00"}))
    assert store.get_snapshot(aggregate) == Snapshot(
        aggregate, "BankAccount", 5, {"balance": "5.00"}
    )
    assert SnapshotDocument._get_collection().count_documents({"_id": aggregate}) == 1


def test_a_stale_snapshot_still_loads_the_current_account(store):
    repository = repository_on(store)
    dispatcher = build_dispatcher(repository, retries=5)
    account_id = dispatcher.dispatch(OpenAccount("Stale", "SAVINGS", Decimal("1"))).account_id
    first = store.get_snapshot(str(account_id))
    for _ in range(3):
        dispatcher.dispatch(DepositFunds(account_id, Decimal("1")))
    store.save_snapshot(first)  # as if a slow writer of version 1 came last
    account = repository.load(account_id, latest=True)
    assert (account.version, account.balance) == (4, Decimal("4.00"))
    result = dispatcher.dispatch(DepositFunds(account_id, Decimal("1")))
    assert result.version == 5


def test_snapshots_are_kept_apart_from_the_events(store, events):
    store.save_snapshot(Snapshot(new_id(), "BankAccount", 1, {}))
    assert events.count_documents({}) == 0
    assert SnapshotDocument._get_collection().count_documents({}) == 1


# --- upcasting a stored old shape ------------------------------------------------------


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
    repository = repository_on(store)

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


# --- the repository and handlers over the real store ------------------------------------


def test_commands_store_their_events_and_a_snapshot(store, events):
    repository = repository_on(store)
    dispatcher = build_dispatcher(repository, retries=5)
    account_id = dispatcher.dispatch(OpenAccount("Ada", "CURRENT", Decimal("10.00"))).account_id
    dispatcher.dispatch(DepositFunds(account_id, Decimal("5.00")))
    dispatcher.dispatch(WithdrawFunds(account_id, Decimal("15.00")))

    stored = store.read_stream(str(account_id))
    assert [(e.version, e.event_type, e.schema_version) for e in stored] == [
        (1, "AccountOpened", 2),
        (2, "FundsDeposited", 1),
        (3, "FundsWithdrawn", 1),
    ]
    assert stored[0].data == {
        "holder": "Ada",
        "account_type": "CURRENT",
        "opening_balance": "10.00",
    }
    assert stored[2].data == {"amount": "15.00", "balance": "0.00"}
    snapshot = store.get_snapshot(str(account_id))
    assert snapshot.version == 3
    assert snapshot.state == {
        "holder": "Ada",
        "account_type": "CURRENT",
        "balance": "0.00",
        "closed": False,
    }
    # Loading from the snapshot equals replaying every event from scratch.
    replayed = BankAccount.rebuild(account_id, map(from_stored, stored))
    assert repository.load(account_id).snapshot() == replayed.snapshot()
    assert replayed.snapshot().balance == Decimal("0.00")


def test_a_lagging_snapshot_is_completed_by_the_later_events(store):
    repository = repository_on(store)
    dispatcher = build_dispatcher(repository, retries=5)
    account_id = dispatcher.dispatch(OpenAccount("Ada", "SAVINGS", Decimal("10.00"))).account_id
    # Event 2 is stored but its snapshot never was (as if the process had died in between).
    store.append(make_event(str(account_id), 2, data={"amount": "5.00", "balance": "15.00"}))
    assert store.get_snapshot(str(account_id)).version == 1

    account = repository.load(account_id)

    assert account.version == 2
    assert account.balance == Decimal("15.00")
    # And a command on it still lands on version 3, with the right balance.
    assert dispatcher.dispatch(DepositFunds(account_id, Decimal("1"))).version == 3
    assert repository.load(account_id).balance == Decimal("16.00")


def test_a_stale_cached_state_loses_the_append_and_the_command_lands_on_the_latest(store):
    repository = EventSourcedAccountRepository(store, store.append, cache_size=10)
    dispatcher = build_dispatcher(repository, retries=5)
    account_id = dispatcher.dispatch(OpenAccount("Ada", "SAVINGS", Decimal("10.00"))).account_id
    # Another process deposits: this process's cache does not know.
    store.append(make_event(str(account_id), 2, data={"amount": "5.00", "balance": "15.00"}))
    assert repository.load(account_id).version == 1  # the cache is trusted first...

    result = dispatcher.dispatch(WithdrawFunds(account_id, Decimal("12.00")))

    # ...and the unique key refused its version 2: the withdrawal was decided again on 15.00.
    assert result.version == 3
    stored = store.read_stream(str(account_id))
    assert [e.version for e in stored] == [1, 2, 3]
    assert stored[-1].data["balance"] == "3.00"
    assert repository.load(account_id, latest=True).balance == Decimal("3.00")


def test_a_refusal_on_a_stale_cached_state_is_decided_again_on_the_latest(store):
    repository = EventSourcedAccountRepository(store, store.append, cache_size=10)
    dispatcher = build_dispatcher(repository, retries=5)
    account_id = dispatcher.dispatch(OpenAccount("Ada", "SAVINGS", Decimal("10.00"))).account_id
    store.append(make_event(str(account_id), 2, data={"amount": "5.00", "balance": "15.00"}))

    # 12.00 is more than the cached 10.00 but not more than the stored 15.00.
    assert dispatcher.dispatch(WithdrawFunds(account_id, Decimal("12.00"))).version == 3


def test_snapshots_every_nth_version_and_loads_equal_the_fold(store):
    repository = EventSourcedAccountRepository(store, store.append, snapshot_every=3)
    dispatcher = build_dispatcher(repository, retries=5)
    account_id = dispatcher.dispatch(OpenAccount("Ada", "SAVINGS", Decimal("10.00"))).account_id
    for _ in range(4):
        dispatcher.dispatch(DepositFunds(account_id, Decimal("1.00")))

    assert store.get_snapshot(str(account_id)).version == 3
    folded = BankAccount.rebuild(account_id, map(from_stored, store.read_stream(str(account_id))))
    assert repository.load(account_id).snapshot() == folded.snapshot()
    assert folded.version == 5 and folded.balance == Decimal("14.00")


def test_a_refused_command_stores_nothing(store, events):
    repository = repository_on(store)
    dispatcher = build_dispatcher(repository, retries=5)
    account_id = dispatcher.dispatch(OpenAccount("Ada", "SAVINGS", Decimal("10.00"))).account_id
    pending = PendingPublication._get_collection()
    before = (events.count_documents({}), pending.count_documents({}))
    snapshot_before = store.get_snapshot(str(account_id))

    with pytest.raises(InsufficientFunds):
        dispatcher.dispatch(WithdrawFunds(account_id, Decimal("10.01")))
    with pytest.raises(AccountNotFound):
        dispatcher.dispatch(DepositFunds(uuid.uuid4(), Decimal("1.00")))

    assert (events.count_documents({}), pending.count_documents({})) == before
    assert store.get_snapshot(str(account_id)) == snapshot_before
    assert SnapshotDocument._get_collection().count_documents({}) == 1


# --- group commit ----------------------------------------------------------------------------


def test_a_batch_refuses_only_the_event_that_lost_its_race_and_drops_only_its_marker(events):
    pending = PendingPublication._get_collection()
    outbox = Outbox(forget_batch=500, forget_after_seconds=3600.0)
    recorder = EventRecorder(EventStore(), outbox, publisher=None)
    taken, free_a, free_b = new_id(), new_id(), new_id()
    recorder.store.append(make_event(taken, 1))
    batch = [make_event(free_a, 1), make_event(taken, 1), make_event(free_b, 1)]

    outcomes = recorder._store_all([(event, []) for event in batch])

    assert outcomes[0] is None and outcomes[2] is None
    assert isinstance(outcomes[1], ConcurrencyError)
    assert sorted(m["event_key"] for m in pending.find({})) == sorted(
        [event_key(free_a, 1), event_key(free_b, 1)]
    )
    assert events.count_documents({"aggregate_id": {"$in": [free_a, free_b]}}) == 2
    assert events.count_documents({"aggregate_id": taken}) == 1


def test_concurrent_recorders_each_get_their_own_outcome_and_every_event_its_marker(events):
    pending = PendingPublication._get_collection()
    recorder = EventRecorder(EventStore(), Outbox(500, 3600.0), publisher=None)
    contested = new_id()
    streams = [new_id() for _ in range(16)]
    won: list[str] = []
    lost: list[str] = []

    def one(stream):
        try:
            recorder.record(make_event(stream, 1))
            won.append(stream)
        except ConcurrencyError:
            lost.append(stream)

    threads = [threading.Thread(target=one, args=(s,)) for s in streams + [contested] * 4]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert sorted(won) == sorted([*streams, contested])  # exactly one of the four racers
    assert lost == [contested] * 3
    stored = {e["aggregate_id"] for e in events.find({})}
    assert stored == set(streams) | {contested}
    assert pending.count_documents({}) == 17  # a marker per stored event, none for the losers
