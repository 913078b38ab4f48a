"""Group commit (apps/eventstore/group_commit.py): threads that arrive while a batch is being
written are written together, each with its own outcome. No I/O: the writer is a function."""

import threading

import pytest

from apps.eventstore.group_commit import GroupCommit
from tests.support import wait_until


class Gate:
    """A writer that holds its first batch until told, so that others queue behind it."""

    def __init__(self, refuse: frozenset[int] = frozenset()) -> None:
        self.batches: list[list[int]] = []
        self.first_started = threading.Event()
        self.release = threading.Event()
        self.refuse = refuse

    def write(self, items: list[int]) -> list[BaseException | None]:
        self.batches.append(items)
        if len(self.batches) == 1:
            self.first_started.set()
            assert self.release.wait(10)
        return [ValueError(i) if i in self.refuse else None for i in items]


def submit_in_threads(
    group: GroupCommit[int], items: list[int]
) -> tuple[dict[int, object], list[threading.Thread]]:
    outcomes: dict[int, object] = {}

    def run(item: int) -> None:
        try:
            group.submit(item)
            outcomes[item] = "stored"
        except (ValueError, ConnectionError) as exc:
            outcomes[item] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in items]
    for t in threads:
        t.start()
    return outcomes, threads


def test_a_lone_item_is_written_at_once_by_its_own_thread():
    written = []
    group = GroupCommit(lambda items: written.append(items) or [None] * len(items))

    group.submit(7)

    assert written == [[7]]


def test_items_that_arrive_during_a_write_share_the_next_one_and_keep_their_own_outcomes():
    gate = Gate(refuse=frozenset({3}))
    group = GroupCommit(gate.write)
    first, first_threads = submit_in_threads(group, [0])
    assert gate.first_started.wait(10)
    rest, threads = submit_in_threads(group, [1, 2, 3, 4])
    wait_until(lambda: len(group._queue) == 4, what="four items to queue behind the first")

    gate.release.set()
    for t in first_threads + threads:
        t.join(10)

    assert gate.batches[0] == [0]
    assert sorted(gate.batches[1]) == [1, 2, 3, 4]  # one write for the four
    assert len(gate.batches) == 2
    assert first == {0: "stored"}
    assert {k: v for k, v in rest.items() if v == "stored"} == {
        1: "stored",
        2: "stored",
        4: "stored",
    }
    assert isinstance(rest[3], ValueError) and rest[3].args == (3,)


def test_a_failed_write_fails_every_item_of_its_batch_and_the_next_batch_still_runs():
    calls = []

    def write(items):
        calls.append(items)
        if len(calls) == 1:
            raise ConnectionError("lost")
        return [None] * len(items)

    group = GroupCommit(write)
    with pytest.raises(ConnectionError):
        group.submit(1)
    group.submit(2)

    assert calls == [[1], [2]]


def test_a_writer_that_answers_for_the_wrong_number_of_items_fails_them_rather_than_hang():
    group = GroupCommit(lambda items: [])

    with pytest.raises(RuntimeError, match="0 outcomes for a batch of 1"):
        group.submit(1)


def test_many_threads_many_rounds_every_item_written_exactly_once():
    written: list[int] = []
    lock = threading.Lock()

    def write(items):
        with lock:
            written.extend(items)
        return [None] * len(items)

    group = GroupCommit(write)
    outcomes, threads = submit_in_threads(group, list(range(200)))
    for t in threads:
        t.join(30)

    assert sorted(written) == list(range(200))
    assert set(outcomes.values()) == {"stored"}
