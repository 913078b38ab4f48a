"""The store's full read drains its cursor in a thread (apps/eventstore/prefetch.py): the batches
come in order and whole, an error of the read reaches the reader after the batches before it,
and a reader that stops early stops the thread and closes the cursor."""

import threading
from collections.abc import Iterator

import pytest

from apps.eventstore.prefetch import prefetched


class Cursor:
    """An iterable with close(), as pymongo's cursor is; it can fail after `fail_after`."""

    def __init__(self, count: int, fail_after: int | None = None) -> None:
        self.count, self.fail_after = count, fail_after
        self.taken = 0
        self.closed = threading.Event()

    def __iter__(self) -> Iterator[dict[str, int]]:
        return self

    def __next__(self) -> dict[str, int]:
        if self.fail_after is not None and self.taken == self.fail_after:
            raise ConnectionError("server went away")
        if self.taken == self.count:
            raise StopIteration
        self.taken += 1
        return {"n": self.taken}

    def close(self) -> None:
        self.closed.set()


def scan_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "store-scan"]


def test_every_document_comes_once_in_order_in_whole_batches():
    cursor = Cursor(10)
    batches = list(prefetched(cursor, 4, depth=2))
    assert [[d["n"] for d in b] for b in batches] == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]
    assert cursor.closed.is_set()


def test_an_error_of_the_read_comes_after_the_batches_before_it():
    batches = prefetched(Cursor(10, fail_after=5), 2)
    assert [d["n"] for d in next(batches)] == [1, 2]
    assert [d["n"] for d in next(batches)] == [3, 4]
    with pytest.raises(ConnectionError, match="server went away"):
        next(batches)


def test_a_reader_that_stops_early_stops_the_thread_and_closes_the_cursor():
    cursor = Cursor(1_000_000)
    batches = prefetched(cursor, 10, depth=2)
    next(batches)
    batches.close()
    assert cursor.closed.wait(5)
    assert not scan_threads()
    assert cursor.taken < 1_000  # the thread read ahead a few batches, not the whole cursor
