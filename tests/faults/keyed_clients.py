"""A gunicorn that may be killed, and clients that retry each command by its Idempotency-Key.

Each client sends every command with a key of its own and, when it gets no answer (the server
died under it), a 5xx (a backing service hung) or "in progress", sends the very same request
again until it gets a real answer; only then does the ledger learn the outcome.
"""

import os
import random
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from decimal import Decimal
from pathlib import Path

import requests

from tests.e2e.invariant import Ledger
from tests.e2e.private_kafka import free_port
from tests.processes import ROOT, child_env
from tests.support import wait_until
from tests.web_server import answers

CLIENTS = 6


class Web:
    """gunicorn in its own process group, so that SIGKILL reaches master and workers at once."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "techbank.wsgi",
                *("--bind", f"127.0.0.1:{self.port}", "--workers", "3"),
            ],
            cwd=ROOT,
            # A key whose request died with the server is recovered after this lease.
            env={**child_env(), "DEBUG": "false", "IDEMPOTENCY_LEASE_SECONDS": "2"},
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(lambda: answers(f"{self.url}/api/schema/"), timeout=60, what="gunicorn")

    def kill(self, sig: signal.Signals = signal.SIGKILL) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, sig)
        self.process.wait(30)


class KeyedClients:
    def __init__(self, web: Web, token: str, ledger: Ledger) -> None:
        self.web, self.ledger = web, ledger
        self.headers = {"Authorization": f"Token {token}"}
        self.answers: Counter[str] = Counter()
        self.unexpected: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(n,)) for n in range(CLIENTS)]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(120)
        assert not any(t.is_alive() for t in self._threads), "a client hangs"

    def count(self, what: str) -> int:
        with self._lock:
            return self.answers[what]

    def _note(self, what: str) -> None:
        with self._lock:
            self.answers[what] += 1

    def _run(self, seed: int) -> None:
        rng = random.Random(seed)
        accounts = list(self.ledger.opening)
        while not self._stop.is_set() and not self.unexpected:
            account_id = rng.choice(accounts)
            name = rng.choice(["deposit", "withdraw"])
            amount = Decimal(rng.randint(1, 9999)) / 100
            self._until_answered(account_id, name, amount, uuid.uuid4().hex)

    def _until_answered(self, account_id: uuid.UUID, name: str, amount: Decimal, key: str):
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                response = requests.post(
                    f"{self.web.url}/api/v1/accounts/{account_id}/{name}/",
                    json={"amount": str(amount)},
                    headers={**self.headers, "Idempotency-Key": key},
                    timeout=30,
                )
            except requests.RequestException:
                self._note("no answer")
                wait_until(lambda: answers(f"{self.web.url}/api/schema/"), timeout=60)
                continue
            code = response.json().get("code") if response.status_code != 200 else None
            if response.status_code >= 500 or code == "idempotency_key_in_progress":
                self._note(f"retry after {response.status_code}")
                time.sleep(0.2)  # a client's backoff before it asks again
                continue
            if response.headers.get("Idempotent-Replayed") == "true":
                self._note("replayed")
            if response.status_code == 200:
                self.ledger.record(account_id, amount if name == "deposit" else -amount)
                self._note("accepted")
            elif code != "insufficient_funds":
                self.unexpected.append(f"{name} {amount}: {response.status_code} {code}")
            return
        self.unexpected.append(f"{name} {amount} {key}: no answer within 90 s")


def open_accounts(url: str, token: str, ledger: Ledger, count: int, balance: str) -> None:
    for n in range(count):
        opened = requests.post(
            f"{url}/api/v1/accounts/open/",
            json={"holder": f"H{n}", "account_type": "CURRENT", "opening_balance": balance},
            headers={"Authorization": f"Token {token}"},
            timeout=30,
        )
        assert opened.status_code == 201, opened.text
        ledger.opened(uuid.UUID(opened.json()["id"]), Decimal(balance))
