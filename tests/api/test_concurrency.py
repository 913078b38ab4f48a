"""Concurrent commands on one account through the real API, servers and threads."""

import threading
import uuid
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connections
from rest_framework.test import APIClient

from apps.accounts_command.infrastructure.repository import EventSourcedAccountRepository
from apps.eventstore.documents import EventDocument
from tests import wired
from tests.support import command, open_account

THREADS = 30


def race(token, account_id, name, body, threads=THREADS):
    """Sends `threads` identical commands at once, each from its own client and thread."""
    barrier = threading.Barrier(threads)
    results = [None] * threads

    def run(index):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            barrier.wait(timeout=30)
            response = command(client, account_id, name, **body)
            results[index] = (response.status_code, response.json())
        except Exception as exc:  # noqa: BLE001 - reported by the assertions below
            results[index] = ("exception", repr(exc))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert not any(worker.is_alive() for worker in workers), "a request never finished"
    return results


def stream(account_id):
    docs = EventDocument._get_collection().find({"aggregate_id": account_id})
    return sorted(docs, key=lambda doc: doc["version"])


@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_withdrawals_of_10_from_100(teller):
    account_id = open_account(teller, balance="100.00")
    token = teller._credentials["HTTP_AUTHORIZATION"].split()[-1]

    results = race(token, account_id, "withdraw", {"amount": "10.00"})

    statuses = Counter(status for status, _ in results)
    assert statuses == {200: 10, 422: 20}, results
    assert {body["code"] for status, body in results if status == 422} == {"insufficient_funds"}
    won = sorted(body["version"] for status, body in results if status == 200)
    assert won == list(range(2, 12))

    events = stream(account_id)
    assert [doc["version"] for doc in events] == list(range(1, 12))
    assert [doc["event_type"] for doc in events] == ["AccountOpened"] + ["FundsWithdrawn"] * 10
    balances = [doc["data"]["balance"] for doc in events[1:]]
    assert balances == [f"{90 - 10 * i}.00" for i in range(10)]
    assert all(doc["data"]["amount"] == "10.00" for doc in events[1:])
    assert len({doc["event_id"] for doc in events}) == 11

    # The account reads back at 0.00 and refuses a further withdrawal.
    store = wired.get().event_store
    repository = EventSourcedAccountRepository(store.store, store.recorder.record)
    account = repository.load(uuid.UUID(account_id), latest=True)
    assert (account.version, account.balance) == (11, Decimal("0.00"))
    # Racing writers may leave an older snapshot last; the fast path may lag, never lead.
    assert repository.load(uuid.UUID(account_id)).version <= 11
    last = command(teller, account_id, "withdraw", amount="0.01")
    assert last.status_code == 422
    assert last.json()["code"] == "insufficient_funds"
    closed = command(teller, account_id, "close", expected_version=11)
    assert closed.status_code == 200
    assert closed.json()["version"] == 12


@pytest.mark.django_db(transaction=True)
def test_concurrent_commands_with_the_same_expected_version_let_exactly_one_win(teller):
    account_id = open_account(teller, balance="100.00")
    token = teller._credentials["HTTP_AUTHORIZATION"].split()[-1]

    results = race(
        token, account_id, "deposit", {"amount": "1.00", "expected_version": 1}, threads=10
    )

    statuses = Counter(status for status, _ in results)
    assert statuses == {200: 1, 409: 9}, results
    assert {body["code"] for status, body in results if status == 409} == {"version_conflict"}
    assert {body["current_version"] for status, body in results if status == 409} == {2}
    assert [doc["version"] for doc in stream(account_id)] == [1, 2]
    assert stream(account_id)[1]["data"] == {"amount": "1.00", "balance": "101.00"}
