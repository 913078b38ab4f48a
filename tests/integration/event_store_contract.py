"""The event store's contract: one abstract test case that every implementation of
apps/eventstore/interface.py passes (test_event_store_contract.py runs it on FerretDB and in
memory). It speaks only through the interface; what an implementation stores underneath
(documents, indexes) is checked by its own tests, and by the two hooks below.
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from collections import Counter

import pytest

from apps.eventstore.interface import ApplicationRecorder
from apps.eventstore.reading import EventReader
from apps.eventstore.records import Snapshot
from kernel.concurrency import ConcurrencyError, EventAlreadyStored
from tests.integration.stored_events import account_stream, fill, make_event, new_id


class EventStoreContract:
    """Subclasses provide the `store` fixture: an empty store of their implementation."""

    @pytest.fixture
    def store(self) -> ApplicationRecorder:
        raise NotImplementedError("each implementation's test case provides its store")

    # What the implementation keeps underneath, where it can tell more than the interface.
    def stored_events(self, store: ApplicationRecorder, aggregate_id: str) -> int:
        return sum(1 for batch in store.scan() for e in batch if e.aggregate_id == aggregate_id)

    def stored_snapshots(self, store: ApplicationRecorder, aggregate_id: str) -> int:
        return int(store.get_snapshot(aggregate_id) is not None)

    # --- append and read ------------------------------------------------------------------

    def test_appended_events_read_back_equal_and_in_version_order(self, store):
        stream = new_id()
        appended = fill(store, stream, 5)
        fill(store, new_id(), 3)

        read = store.read_stream(stream)

        assert read == appended
        assert [e.version for e in read] == [1, 2, 3, 4, 5]
        assert read[0].timestamp.tzinfo is not None

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
    def test_read_stream_after_version_and_limit(self, store, after, limit, expected):
        stream = new_id()
        fill(store, stream, 7)

        read = store.read_stream(stream, after_version=after, limit=limit)

        assert [e.version for e in read] == expected
        assert {e.aggregate_id for e in read} <= {stream}

    def test_a_range_holds_its_own_stream_only_beside_streams_of_like_ids(self, store):
        stream = new_id()
        fill(store, f"{stream}:0000000001", 2)  # its event keys sort among this stream's
        fill(store, stream[:-1], 3)
        appended = fill(store, stream, 3)

        assert store.read_stream(stream, after_version=0, limit=10) == appended
        assert store.read_stream(stream, after_version=1, limit=1) == appended[1:2]
        assert store.read_stream(stream, after_version=1, limit=0) == []

    def test_read_stream_of_an_unknown_stream_is_empty(self, store):
        fill(store, new_id(), 2)
        assert store.read_stream(new_id()) == []

    def test_read_stream_ends_at_the_first_missing_version(self, store):
        stream = new_id()
        first, second = make_event(stream, 1), make_event(stream, 2)
        store.append(first)
        store.append(second)
        store.append(make_event(stream, 4))  # a gap is not the store's concern when appending

        assert store.read_stream(stream) == [first, second]
        assert store.read_stream(stream, after_version=3)[0].version == 4
        assert store.count() == 3

    def test_get_returns_one_version_or_none(self, store):
        stream = new_id()
        appended = fill(store, stream, 3)

        assert store.get(stream, 2) == appended[1]
        assert store.get(stream, 4) is None
        assert store.get(new_id(), 1) is None

    def test_count_counts_the_events(self, store):
        assert store.count() == 0
        fill(store, new_id(), 3)
        fill(store, new_id(), 2)
        assert store.count() == 5

    def test_an_old_shape_is_read_upcast_by_every_read(self, store):
        account = new_id()
        old = dataclasses.replace(
            make_event(account, 1, "AccountOpened", {"holder": "Old", "opening_balance": "1.00"}),
            metadata={"idempotency_key": "old-key"},
        )
        store.append(old)
        lifted = {"holder": "Old", "opening_balance": "1.00", "account_type": "SAVINGS"}

        reads = [
            store.get(account, 1),
            *store.read_stream(account),
            *[e for batch in store.read_all() for e in batch],
            *[e for batch in store.scan() for e in batch],
            store.find_by_idempotency_key("old-key"),
        ]

        assert [(e.schema_version, e.data) for e in reads] == [(2, lifted)] * 5
        assert old.data == {"holder": "Old", "opening_balance": "1.00"}  # never rewritten

    # --- uniqueness and concurrency -------------------------------------------------------

    def test_a_taken_version_is_still_a_lost_race(self, store):
        stream = new_id()
        store.append(make_event(stream, 1))
        with pytest.raises(ConcurrencyError):
            store.append(make_event(stream, 1))

    def test_an_event_id_stored_at_another_version_is_refused_as_already_stored(self, store):
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

    def test_the_very_same_event_appended_again_is_stored_once_and_not_refused(self, store):
        # A retried insert whose first try reached the server: nothing to refuse.
        event = make_event(new_id(), 1)
        store.append(event)
        store.append(event)
        assert store.read_stream(event.aggregate_id) == [event]

    def test_a_batch_gives_each_event_its_own_outcome(self, store):
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

    def test_another_event_with_the_same_id_at_the_same_version_is_already_stored(self, store):
        # A step and its fence share an id: whichever is stored first, the other is refused as
        # stored already, never taken for a retry of itself.
        step = make_event(new_id(), 1, event_type="FundsTransferredOut")
        fence = dataclasses.replace(step, event_type="TransferExpired", data={})
        store.append(fence)
        with pytest.raises(EventAlreadyStored):
            store.append(step)
        assert store.append_all([step])[0].__class__ is EventAlreadyStored
        assert [e.event_type for e in store.read_stream(step.aggregate_id)] == ["TransferExpired"]

    def test_two_threads_racing_for_one_version_exactly_one_wins(self, store):
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
            assert self.stored_events(store, stream) == 2

    # --- every stream at once -------------------------------------------------------------

    def test_read_all_yields_every_event_in_batches_in_key_order(self, store):
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

    def test_read_all_of_an_empty_store_yields_nothing(self, store):
        assert list(store.read_all()) == []

    def test_read_all_with_an_exact_multiple_of_the_batch_size(self, store):
        fill(store, new_id(), 4)
        assert [len(b) for b in store.read_all(batch_size=2)] == [2, 2]

    def test_scan_reads_every_event_exactly_once_like_the_sorted_read(self, store):
        streams = [account_stream(str(uuid.uuid4()), n) for n in (1, 7, 13, 30)]
        for version in range(30):  # appended interleaved, as live traffic appends them
            for events in streams:
                if version < len(events):
                    store.append(events[version])

        batches = list(store.scan(batch_size=8))

        assert [len(b) for b in batches] == [8] * 6 + [3]
        scanned = [e for batch in batches for e in batch]
        sorted_read = [e for batch in store.read_all(batch_size=8) for e in batch]
        assert Counter(e.key for e in scanned) == Counter(e.key for e in sorted_read)
        assert len(scanned) == len(set(e.key for e in scanned)) == 51
        assert sorted(scanned, key=lambda e: e.key) == sorted_read
        for events in streams:  # as appended: each stream in version order
            mine = [e.version for e in scanned if e.aggregate_id == events[0].aggregate_id]
            assert mine == list(range(1, len(events) + 1))

    def test_the_reader_hands_out_each_scanned_event_once_as_a_message(self, store):
        for events in (account_stream(str(uuid.uuid4()), 5), account_stream(str(uuid.uuid4()), 4)):
            for event in events:
                store.append(event)
        messages = [m for batch in EventReader(store).all(batch_size=4) for m in batch]
        assert sorted((m["aggregate_id"], m["version"]) for m in messages) == sorted(
            (e.aggregate_id, e.version) for batch in store.read_all() for e in batch
        )

    def test_scan_of_an_empty_store_yields_nothing(self, store):
        assert list(store.scan()) == []

    def test_find_by_idempotency_key_finds_the_first_event_stored_with_the_key(self, store):
        stream = new_id()
        keyed = [
            dataclasses.replace(make_event(stream, v), metadata={"idempotency_key": key})
            for v, key in ((1, "other"), (2, "mine"), (3, "mine"))
        ]
        for event in keyed:
            store.append(event)

        assert store.find_by_idempotency_key("mine") == keyed[1]
        assert store.find_by_idempotency_key("mine").metadata == {"idempotency_key": "mine"}
        assert store.find_by_idempotency_key("unknown") is None

    # --- snapshots ------------------------------------------------------------------------

    def test_a_snapshot_is_one_per_stream_and_the_latest_write_wins(self, store):
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
        assert self.stored_snapshots(store, aggregate) == 1
