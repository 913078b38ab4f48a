"""Deposits and withdrawals over HTTP from several threads, each answer written to a ledger.

Driving the real API (a gunicorn child process) keeps the test independent of how the write
side is wired inside: what a client was told is all the invariant needs.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from decimal import Decimal
from uuid import UUID

import requests

from tests.e2e.invariant import Ledger


class HttpLoad:
    def __init__(self, base_url: str, token: str, ledger: Ledger, threads: int = 6) -> None:
        self.base_url = base_url
        self.headers = {"Authorization": f"Token {token}"}
        self.ledger = ledger
        self.phase = "start"
        # (phase, status) -> how many answers; an unexpected answer stops the test.
        self.answers: Counter[tuple[str, int]] = Counter()
        self.unexpected: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True, name=f"load-{n}")
            for n in range(threads)
        ]

    def open_account(self, holder: str, balance: Decimal) -> UUID:
        response = requests.post(
            f"{self.base_url}/api/v1/accounts/open/",
            json={"holder": holder, "account_type": "CURRENT", "opening_balance": str(balance)},
            headers=self.headers,
            timeout=30,
        )
        assert response.status_code == 201, response.text
        account_id = UUID(response.json()["id"])
        self.ledger.opened(account_id, balance)
        return account_id

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(60)
        assert not any(t.is_alive() for t in self._threads), "a load thread hangs"

    def accepted(self, phase: str | None = None) -> int:
        with self._lock:
            return sum(n for (p, s), n in self.answers.items() if s == 200 and phase in (None, p))

    def _run(self, seed: int) -> None:
        rng = random.Random(seed)
        accounts = list(self.ledger.opening)
        with requests.Session() as session:
            session.headers.update(self.headers)
            while not self._stop.is_set() and not self.unexpected:
                self._one(session, rng.choice(accounts), rng)

    def _one(self, session: requests.Session, account_id: UUID, rng: random.Random) -> None:
        name = rng.choice(["deposit", "withdraw"])
        amount = Decimal(rng.randint(1, 9999)) / 100
        try:
            response = session.post(
                f"{self.base_url}/api/v1/accounts/{account_id}/{name}/",
                json={"amount": str(amount)},
                timeout=30,
            )
        except requests.RequestException as exc:
            # No answer: the command may or may not be stored, and the ledger cannot say.
            self.unexpected.append(f"{name} {amount}: {exc}")
            return
        code = _error_code(response) if response.status_code != 200 else None
        if response.status_code == 200:
            self.ledger.record(account_id, amount if name == "deposit" else -amount)
        elif code not in ("insufficient_funds", "concurrency_conflict"):
            self.unexpected.append(f"{name} {amount}: {response.status_code} {response.text}")
        with self._lock:
            self.answers[(self.phase, response.status_code)] += 1


def _error_code(response: requests.Response) -> str | None:
    try:
        return response.json().get("code")
    except ValueError:  # not JSON: unexpected whatever the status
        return None
