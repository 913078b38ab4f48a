"""Group commit: the events that threads of one process record at the same moment are written
together, one round trip for all their outbox markers and one for all the events.

A write to the store costs about the same for one document as for eight, so under load the
threads of a process share their round trips instead of queueing for them (the classic
database technique; Marten and Axon batch their appends the same way). Nothing waits on a
timer: the first thread to arrive writes alone, and whoever arrives while it writes is
written with the next batch, by the first of them (leader/follower). Each event keeps its own
outcome: a lost race on one version refuses that event only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")

# What writing a batch answers for each of its items: None (stored) or the error to raise.
Outcomes = Sequence[BaseException | None]


class _Waiter(Generic[T]):
    __slots__ = ("error", "item", "leads", "woken")

    def __init__(self, item: T) -> None:
        self.item = item
        self.error: BaseException | None = None
        self.leads = False  # woken to write the next batch, not with its own outcome
        self.woken = threading.Event()


class GroupCommit(Generic[T]):
    def __init__(self, write: Callable[[list[T]], Outcomes]) -> None:
        self._write = write
        self._lock = threading.Lock()
        self._queue: list[_Waiter[T]] = []
        self._writing = False
        self.batches = self.items = 0  # how well threads share writes (bench/write_inprocess.py)

    def submit(self, item: T) -> None:
        """Writes `item` with whatever else is waiting; raises its own error, if it has one."""
        waiter = _Waiter(item)
        with self._lock:
            self._queue.append(waiter)
            leads = not self._writing
            self._writing = True
        if not leads:
            waiter.woken.wait()
            if waiter.leads:  # the previous writer handed this thread the next batch
                waiter.woken.clear()
                self._lead()
                waiter.woken.wait()
        else:
            self._lead()
        if waiter.error is not None:
            raise waiter.error

    def _lead(self) -> None:
        with self._lock:
            batch, self._queue = self._queue, []
            self.batches += 1
            self.items += len(batch)
        try:
            outcomes = list(self._write([w.item for w in batch]))
            if len(outcomes) != len(batch):
                raise RuntimeError(f"{len(outcomes)} outcomes for a batch of {len(batch)}")
        # Whatever it is (a lost connection, an interrupt), every waiter must wake and see it.
        except BaseException as exc:  # noqa: BLE001
            outcomes = [exc] * len(batch)
        with self._lock:
            # Before anyone is woken: a woken writer may submit again at once.
            successor = self._queue[0] if self._queue else None
            self._writing = successor is not None
        for waiter, outcome in zip(batch, outcomes, strict=True):
            waiter.error = outcome
            waiter.woken.set()
        if successor is not None:
            successor.leads = True
            successor.woken.set()
