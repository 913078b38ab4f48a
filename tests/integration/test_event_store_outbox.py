"""Recording an event on FerretDB: the outbox marker written before each event, dropped for an
event refused and forgotten in batches once Kafka has it; and group commit, the events of
threads recording at once written together, each with its own outcome."""

import dataclasses
import threading

import pytest

from apps.eventstore.documents import EventDocument, PendingPublication
from apps.eventstore.outbox import Outbox
from apps.eventstore.recorder import EventRecorder
from apps.eventstore.records import event_key, parse_event_key
from kernel.concurrency import ConcurrencyError, EventAlreadyStored
from tests.integration.stored_events import fill, make_event, make_store, new_id
from tests.support import wait_until

pytestmark = pytest.mark.usefixtures("event_store_db")


@pytest.fixture
def events():
    return EventDocument._get_collection()


@pytest.fixture
def outbox():
    # Batches never fall due by time here: a test decides when markers are forgotten.
    return Outbox(forget_batch=500, forget_after_seconds=3600.0)


@pytest.fixture
def recorder(outbox):
    return EventRecorder(make_store("ferretdb"), outbox, publisher=None)


def record(recorder, aggregate_id, count):
    recorded = [make_event(aggregate_id, v) for v in range(1, count + 1)]
    for event in recorded:
        recorder.record(event)
    return recorded


def test_parse_event_key_inverts_event_key():
    stream = new_id()
    assert parse_event_key(event_key(stream, 42)) == (stream, 42)


# --- markers ---------------------------------------------------------------------------------


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
    recorder = EventRecorder(make_store("ferretdb"), outbox, publisher=None)
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
    record(EventRecorder(make_store("ferretdb"), outbox, publisher=None), new_id(), 1)
    (token,) = [m["_id"] for m in pending.find({})]
    outbox.acknowledge(token)
    wait_until(lambda: pending.count_documents({}) == 0, timeout=5, what="a lone marker to go")


# --- a refused event leaves no marker --------------------------------------------------------


def test_appending_an_existing_version_raises_concurrency_error(events, recorder):
    store = make_store("ferretdb")  # another writer, on the same events
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


def test_the_recorder_raises_already_stored_and_drops_that_events_marker():
    pending = PendingPublication._get_collection()
    recorder = EventRecorder(make_store("ferretdb"), Outbox(500, 3600.0), publisher=None)
    first = make_event(new_id(), 1)
    recorder.record(first)
    repeat = dataclasses.replace(make_event(new_id(), 1), event_id=first.event_id)
    with pytest.raises(EventAlreadyStored):
        recorder.record(repeat)
    assert [m["event_key"] for m in pending.find({})] == [event_key(first.aggregate_id, 1)]


# --- group commit ----------------------------------------------------------------------------


def test_a_batch_refuses_only_the_event_that_lost_its_race_and_drops_only_its_marker(events):
    pending = PendingPublication._get_collection()
    outbox = Outbox(forget_batch=500, forget_after_seconds=3600.0)
    recorder = EventRecorder(make_store("ferretdb"), outbox, publisher=None)
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
    recorder = EventRecorder(make_store("ferretdb"), Outbox(500, 3600.0), publisher=None)
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
