"""Deposits and withdrawals from several clients at once, each answer written to a Ledger: the
load a fault test keeps up while it breaks something (tests/e2e/invariant.py checks it after).

A closed loop (load.py) of clients that each pick a random account, deposit or withdraw a random
amount, and note what they were told. How a command travels is the client's
(command_clients.py): over HTTP, retried by its Idempotency-Key, or dispatched in this process.
An answer the invariant cannot account for stops the load and is kept in `unexpected`.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from .load import ClosedLoop

NAMES = ("deposit", "withdraw")


class Ledger(Protocol):
    """What the clients were told (tests/e2e/invariant.py's Ledger checks it afterwards)."""

    opening: dict[UUID, Decimal]

    def opened(self, account_id: UUID, balance: Decimal) -> None: ...

    def record(self, account_id: UUID, signed_amount: Decimal) -> None: ...


class Unexpected(Exception):
    """An answer that is neither accepted nor a refusal the ledger can account for."""


class CommandClient(Protocol):
    def open(self, holder: str, balance: Decimal) -> UUID: ...

    def run(self, account: UUID, name: str, amount: Decimal, note: Callable[[str], None]) -> bool:
        """True when the command was accepted; False when refused as it may be (insufficient
        funds, ...); raises Unexpected otherwise. `note` counts what happened on the way."""
        ...


class LedgerLoad:
    def __init__(
        self,
        ledger: Ledger,
        connect: Callable[[], AbstractContextManager[CommandClient]],
        clients: int = 6,
    ) -> None:
        self.ledger, self.connect, self.clients = ledger, connect, clients
        self.phase = "start"  # answers are counted per phase, for a test's own marks
        self.answers: Counter[tuple[str, str]] = Counter()
        self.unexpected: list[str] = []
        self._lock = threading.Lock()
        self._loop = ClosedLoop(clients, self._client, name="ledger-load")

    def open_accounts(self, count: int, balance: Decimal) -> list[UUID]:
        with self.connect() as client:
            opened = [client.open(f"Holder {n}", balance) for n in range(count)]
        for account in opened:
            self.ledger.opened(account, balance)
        return opened

    def start(self) -> None:
        self._loop.start()

    def stop(self) -> None:
        self._loop.stop()

    def accepted(self, phase: str | None = None) -> int:
        return self.count("accepted", phase)

    def count(self, what: str, phase: str | None = None) -> int:
        with self._lock:
            return sum(n for (p, w), n in self.answers.items() if w == what and phase in (None, p))

    def totals(self) -> dict[str, int]:
        """How many of each answer, all phases together (for a test's closing line)."""
        found: Counter[str] = Counter()
        with self._lock:
            for (_, what), n in self.answers.items():
                found[what] += n
        return dict(found)

    def _note(self, what: str) -> None:
        with self._lock:
            self.answers[(self.phase, what)] += 1

    @contextmanager
    def _client(self, seed: int) -> Iterator[Callable[[], bool]]:
        rng = random.Random(seed)
        accounts = list(self.ledger.opening)
        with self.connect() as client:

            def step() -> bool:
                if self.unexpected:
                    return False  # another client saw something wrong: the test reports it
                account, name = rng.choice(accounts), rng.choice(NAMES)
                amount = Decimal(rng.randint(1, 9999)) / 100
                try:
                    accepted = client.run(account, name, amount, self._note)
                except Unexpected as exc:
                    self.unexpected.append(f"{name} {amount} on {account}: {exc}")
                    return False
                if accepted:
                    self.ledger.record(account, amount if name == "deposit" else -amount)
                    self._note("accepted")
                return True

            yield step
