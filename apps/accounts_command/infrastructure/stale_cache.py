"""How often this process's cached account states turned out stale lately: whether a load from
the cache should first read the events after it.

Reading forward costs every command a lookup by `_id`; appending on a stale state costs a
marker, a refused insert, a dropped marker, a full reload and a retry. Which is cheaper depends
on how many processes write the same accounts: one gunicorn worker alone never finds its cache
stale, three find it stale on about two commands in three (bench/README.md, cpu_per_command).
So the process measures it: every append made on an unread cached state, and every read
forward, says whether the state was stale, and a moving average of the answers decides.
"""

from __future__ import annotations

import threading
from uuid import UUID

# Each answer moves the average by this much of the way; about the last 20 count.
WEIGHT = 0.05
# Read forward while more than this share of cached states lately turned out stale: a read
# costs about a third of what a lost append costs.
THRESHOLD = 0.15
# A state loaded unread and never appended on (the command was refused) stays remembered until
# its account's next append; past this many the memory starts again, losing a few answers.
MAX_UNREAD = 10_000


class StaleCacheRate:
    def __init__(self) -> None:
        self.rate = 0.0
        self._unread: set[UUID] = set()  # loaded from the cache without reading forward
        self._lock = threading.Lock()

    def read_forward(self) -> bool:
        """Whether the next load from the cache should read the events after it."""
        return self.rate > THRESHOLD

    def loaded_unread(self, account_id: UUID) -> None:
        with self._lock:
            if len(self._unread) >= MAX_UNREAD:
                self._unread.clear()
            self._unread.add(account_id)

    def was_stale(self, stale: bool) -> None:
        """A read forward's answer: it found events after the cached state, or none."""
        with self._lock:
            self.rate += WEIGHT * (stale - self.rate)

    def appended(self, account_id: UUID, refused: bool) -> None:
        """An append's answer, if the state it was decided on came unread from the cache."""
        with self._lock:
            if account_id not in self._unread:
                return
            self._unread.discard(account_id)
            self.rate += WEIGHT * (refused - self.rate)
