"""Deposits and withdrawals dispatched in this process, from several threads, into a ledger.

Used where the web server cannot serve (its MySQL is frozen: every request's token is read
there): the write side needs only the event store and Kafka, so commands go on meanwhile.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from decimal import Decimal
from uuid import UUID

from apps.accounts_command.domain.commands import DepositFunds, OpenAccount, WithdrawFunds
from apps.accounts_command.domain.errors import DomainError
from kernel.mediator import Dispatcher
from tests.e2e.invariant import Ledger


class CommandLoad:
    def __init__(self, dispatcher: Dispatcher, ledger: Ledger, threads: int = 4) -> None:
        self.dispatcher = dispatcher
        self.ledger = ledger
        self.outcomes: Counter[str] = Counter()
        self.unexpected: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True, name=f"commands-{n}")
            for n in range(threads)
        ]

    def open_account(self, holder: str, balance: Decimal) -> UUID:
        account_id = self.dispatcher.dispatch(OpenAccount(holder, "CURRENT", balance)).account_id
        self.ledger.opened(account_id, balance)
        return account_id

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(60)
        assert not any(t.is_alive() for t in self._threads), "a command thread hangs"

    def accepted(self) -> int:
        with self._lock:
            return self.outcomes["accepted"]

    def _run(self, seed: int) -> None:
        rng = random.Random(seed)
        accounts = list(self.ledger.opening)
        while not self._stop.is_set() and not self.unexpected:
            account_id = rng.choice(accounts)
            amount = Decimal(rng.randint(1, 9999)) / 100
            deposit = rng.random() < 0.5
            command = (DepositFunds if deposit else WithdrawFunds)(account_id, amount)
            try:
                self.dispatcher.dispatch(command)
            except DomainError as exc:
                outcome = type(exc).__name__
            except Exception as exc:  # noqa: BLE001 - the test reports it
                self.unexpected.append(f"{command}: {exc!r}")
                return
            else:
                self.ledger.record(account_id, amount if deposit else -amount)
                outcome = "accepted"
            with self._lock:
                self.outcomes[outcome] += 1
