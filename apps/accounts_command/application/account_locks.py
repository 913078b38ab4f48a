"""Commands on one account take turns within a process.

Without this, concurrent commands on one account all load the same version and race to append
the next one; the event store's unique key lets one win and the others retry, and under enough
load some run out of retries. Taking turns here leaves only other processes to race against.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol, TypeVar
from uuid import UUID
from weakref import WeakValueDictionary

R = TypeVar("R")


class AccountCommand(Protocol):
    account_id: UUID


class _Turn:
    # A plain lock cannot be weakly referenced; this holder can, so idle accounts' locks go.
    __slots__ = ("__weakref__", "lock")

    def __init__(self) -> None:
        self.lock = threading.Lock()


class AccountLocks:
    def __init__(self) -> None:
        self._turns: WeakValueDictionary[UUID, _Turn] = WeakValueDictionary()
        self._guard = threading.Lock()

    def turn(self, account_id: UUID) -> _Turn:
        with self._guard:
            turn = self._turns.get(account_id)
            if turn is None:
                turn = self._turns[account_id] = _Turn()
            return turn

    def serialized(self, handler: Callable[[Any], R]) -> Callable[[Any], R]:
        """`handler`, run for one account at a time (by the command's account_id)."""

        def run(command: AccountCommand) -> R:
            turn = self.turn(command.account_id)  # held here, so it outlives the wait
            with turn.lock:
                return handler(command)

        return run
