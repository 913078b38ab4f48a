"""The one load driver: a closed loop or an open loop of requests, from threads of this process.

- Closed loop (`ClosedLoop`): `clients` threads, each sending its next request as soon as its
  last one is answered, until `stop()` or until its step says it is done. What a request is and
  what is timed is the step's: the fault tests' ledger load (ledger_load.py) and the bench's
  throughput figures (bench/loadgen.py) are both this loop.
- Open loop (`open_loop`): request n is sent at `n / rate` seconds, whatever the answers to
  earlier ones, from a pool of threads: the bench's latency figures (e2e_latency, transfers).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from typing import TypeVar

T = TypeVar("T")
# One client: a context (its connection, its random generator, its samples) around its step,
# which sends one request and answers whether to send another.
Client = Callable[[int], AbstractContextManager[Callable[[], bool]]]


class ClosedLoop:
    def __init__(self, clients: int, client: Client, name: str = "load") -> None:
        self._client = client
        self._stopping = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True, name=f"{name}-{n}")
            for n in range(clients)
        ]

    def _run(self, n: int) -> None:
        with self._client(n) as step:
            while not self._stopping.is_set() and step():
                pass

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def join(self) -> None:
        """Waits until every client's step has said it is done."""
        for thread in self._threads:
            thread.join()

    def stop(self, timeout: float = 120.0) -> None:
        """Lets each client finish the request it is in; fails if one does not."""
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout)
        assert not any(t.is_alive() for t in self._threads), "a load client hangs"

    def run(self) -> None:
        """start() and join(): a loop whose steps end it by themselves."""
        self.start()
        self.join()


def open_loop(
    count: int, rate: float, one: Callable[[int], T], threads: int
) -> tuple[list[Future[T]], float]:
    """`one(n)` for n in range(count), the n-th sent at n / rate seconds from the start, on a
    pool of `threads`. Returns the futures (in order, all done) and the seconds it took to
    offer them all (from the first send to the last)."""
    futures: list[Future[T]] = []
    with ThreadPoolExecutor(max_workers=threads) as pool:
        started = time.perf_counter()
        for n in range(count):
            delay = started + n / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)  # the schedule of an open loop, not a wait for a condition
            futures.append(pool.submit(one, n))
        offered_seconds = time.perf_counter() - started
    return futures, offered_seconds
