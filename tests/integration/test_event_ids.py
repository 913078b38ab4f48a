"""An event is stored once ever: the store's unique key on event ids, on both implementations
(FerretDB and memory), and the recorder's outcomes and markers when it refuses one."""

import dataclasses

import pytest

from apps.contract.account_events import UPCASTERS
from apps.eventstore.documents import EventDocument, PendingPublication
from apps.eventstore.memory import InMemoryEventStore
from apps.eventstore.outbox import Outbox
from apps.eventstore.recorder import EventRecorder
from apps.eventstore.records import event_key
from apps.eventstore.store import EventStore
from apps.eventstore.upcasting import UpcasterChain
from kernel.concurrency import ConcurrencyError, EventAlreadyStored
from tests.integration.test_event_store import make_event, new_id

pytestmark = pytest.mark.usefixtures("event_store_db")


@pytest.fixture(params=["ferretdb", "memory"])
def store(request):
    implementation = EventStore if request.param == "ferretdb" else InMemoryEventStore
    return implementation(UpcasterChain(UPCASTERS))


def test_the_unique_event_id_index_exists():
    indexes = EventDocument._get_collection().index_information()
    assert indexes["event_id"]["unique"] is True
    assert indexes["event_id"]["key"] == [("event_id", 1)]


def test_an_event_id_stored_at_another_version_is_refused_as_already_stored(store):
    stream = new_id()
    first = make_event(stream, 1)
    store.append(first)
    repeat = dataclasses.replace(make_event(stream, 2), event_id=first.event_id)
    with pytest.raises(EventAlreadyStored) as refused:
        store.append(repeat)
    assert refused.value.event_id == first.event_id
    elsewhere = dataclasses.replace(make_event(new_id(), 1), event_id=first.event_id)
    with pytest.raises(EventAlreadyStored):
        store.append(elsewhere)
    assert [e.version for e in store.read_stream(stream)] == [1]


def test_a_taken_version_is_still_a_lost_race(store):
    stream = new_id()
    store.append(make_event(stream, 1))
    with pytest.raises(ConcurrencyError):
        store.append(make_event(stream, 1))


def test_the_very_same_event_appended_again_is_stored_once_and_not_refused(store):
    # A retried insert whose first try reached the server: nothing to refuse.
    event = make_event(new_id(), 1)
    store.append(event)
    store.append(event)
    assert store.read_stream(event.aggregate_id) == [event]


def test_a_batch_gives_each_event_its_own_outcome(store):
    known = make_event(new_id(), 1)
    taken = make_event(new_id(), 1)
    store.append(known)
    store.append(taken)
    fresh = make_event(new_id(), 1)
    repeat = dataclasses.replace(make_event(new_id(), 1), event_id=known.event_id)
    lost = make_event(taken.aggregate_id, 1)
    outcomes = store.append_all([fresh, repeat, lost, taken])
    assert outcomes[0] is None
    assert isinstance(outcomes[1], EventAlreadyStored)
    assert isinstance(outcomes[2], ConcurrencyError)
    assert outcomes[3] is None  # the very event that is stored
    assert store.read_stream(fresh.aggregate_id) == [fresh]
    assert store.read_stream(repeat.aggregate_id) == []


def test_the_recorder_raises_already_stored_and_drops_that_events_marker():
    pending = PendingPublication._get_collection()
    recorder = EventRecorder(EventStore(), Outbox(500, 3600.0), publisher=None)
    first = make_event(new_id(), 1)
    recorder.record(first)
    repeat = dataclasses.replace(make_event(new_id(), 1), event_id=first.event_id)
    with pytest.raises(EventAlreadyStored):
        recorder.record(repeat)
    assert [m["event_key"] for m in pending.find({})] == [event_key(first.aggregate_id, 1)]


def test_another_event_with_the_same_id_at_the_same_version_is_already_stored(store):
    # A step and its fence share an id: whichever is stored first, the other is refused as
    # stored already, never taken for a retry of itself.
    step = make_event(new_id(), 1, event_type="FundsTransferredOut")
    fence = dataclasses.replace(step, event_type="TransferExpired", data={})
    store.append(fence)
    with pytest.raises(EventAlreadyStored):
        store.append(step)
    assert store.append_all([step])[0].__class__ is EventAlreadyStored
    assert [e.event_type for e in store.read_stream(step.aggregate_id)] == ["TransferExpired"]
