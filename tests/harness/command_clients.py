"""The ways a LedgerLoad client (ledger_load.py) sends a deposit or a withdrawal.

- `over_http`: the real API of a gunicorn child, one keep-alive session per client; whatever
  the server is made of inside, what a client was told is all the invariant needs.
- `retried_by_key`: the same API, each command with an Idempotency-Key of its own, sent again
  (the very same request) after no answer, a 5xx or "in progress" until a real answer comes:
  a client of a server that may be killed or hang.
- `in_process`: the command dispatcher of this process, where no web server can serve (its
  MySQL is frozen: every request's token is read there); the write side needs only the event
  store and Kafka.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from decimal import Decimal
from typing import Any

import requests

from tests.support import wait_until

from .gunicorn import SCHEMA, answers
from .ledger_load import Unexpected

Note = Callable[[str], None]
REFUSALS = ("insufficient_funds", "concurrency_conflict")  # answers the ledger can account for


def _code(response: requests.Response) -> str | None:
    try:
        return response.json().get("code")
    except ValueError:  # not JSON: unexpected whatever the status
        return None


class _Http:
    def __init__(self, base_url: str, token: str, post: Callable[..., requests.Response]) -> None:
        self.base_url, self.post = base_url, post
        self.headers = {"Authorization": f"Token {token}"}

    def open(self, holder: str, balance: Decimal) -> uuid.UUID:
        response = self.post(
            f"{self.base_url}/api/v1/accounts/open/",
            json={"holder": holder, "account_type": "CURRENT", "opening_balance": str(balance)},
            headers=self.headers,
            timeout=30,
        )
        assert response.status_code == 201, response.text
        return uuid.UUID(response.json()["id"])

    def send(self, account: uuid.UUID, name: str, amount: Decimal, **headers: str) -> Any:
        return self.post(
            f"{self.base_url}/api/v1/accounts/{account}/{name}/",
            json={"amount": str(amount)},
            headers={**self.headers, **headers},
            timeout=30,
        )


class _OverHttp(_Http):
    def run(self, account: uuid.UUID, name: str, amount: Decimal, note: Note) -> bool:
        try:
            response = self.send(account, name, amount)
        except requests.RequestException as exc:
            # No answer: the command may or may not be stored, and the ledger cannot say.
            raise Unexpected(str(exc)) from None
        if response.status_code == 200:
            return True
        if (code := _code(response)) not in REFUSALS:
            raise Unexpected(f"{response.status_code} {response.text}")
        note(str(code))
        return False


def over_http(base_url: str, token: str) -> Callable[[], AbstractContextManager[_OverHttp]]:
    @contextmanager
    def connect() -> Iterator[_OverHttp]:
        with requests.Session() as session:
            yield _OverHttp(base_url, token, session.post)

    return connect


class _RetriedByKey(_Http):
    deadline = 90.0  # seconds a command may take to get a real answer

    def run(self, account: uuid.UUID, name: str, amount: Decimal, note: Note) -> bool:
        key = uuid.uuid4().hex
        until = time.monotonic() + self.deadline
        while time.monotonic() < until:
            try:
                response = self.send(account, name, amount, **{"Idempotency-Key": key})
            except requests.RequestException:
                note("no answer")
                wait_until(lambda: answers(self.base_url + SCHEMA), timeout=60, what="the server")
                continue
            code = _code(response) if response.status_code != 200 else None
            if response.status_code >= 500 or code == "idempotency_key_in_progress":
                note(f"retry after {response.status_code}")
                time.sleep(0.2)  # a client's backoff before it asks again
                continue
            if response.headers.get("Idempotent-Replayed") == "true":
                note("replayed")
            if response.status_code == 200:
                return True
            if code != "insufficient_funds":
                raise Unexpected(f"{response.status_code} {code}")
            note(code)
            return False
        raise Unexpected(f"key {key}: no answer within {self.deadline:.0f} s")


def retried_by_key(base_url: str, token: str) -> Callable[[], AbstractContextManager[Any]]:
    # requests.post: a new connection per request, so none outlives a killed server.
    return lambda: nullcontext(_RetriedByKey(base_url, token, requests.post))


class _InProcess:
    def __init__(self, dispatcher: Any) -> None:
        self.dispatcher = dispatcher

    def open(self, holder: str, balance: Decimal) -> uuid.UUID:
        from apps.accounts_command.domain.commands import OpenAccount

        return self.dispatcher.dispatch(OpenAccount(holder, "CURRENT", balance)).account_id

    def run(self, account: uuid.UUID, name: str, amount: Decimal, note: Note) -> bool:
        from apps.accounts_command.domain.commands import DepositFunds, WithdrawFunds
        from apps.accounts_command.domain.errors import DomainError

        command = (DepositFunds if name == "deposit" else WithdrawFunds)(account, amount)
        try:
            self.dispatcher.dispatch(command)
        except DomainError as exc:
            note(type(exc).__name__)
            return False
        except Exception as exc:  # anything else: the test reports it
            raise Unexpected(repr(exc)) from exc
        return True


def in_process(dispatcher: Any) -> Callable[[], AbstractContextManager[Any]]:
    return lambda: nullcontext(_InProcess(dispatcher))
