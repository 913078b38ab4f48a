"""No spurious refusals under contention: 12 clients x 20 deposits on one account, all accepted.

A command without expected_version must never fail because others write the same account. It
goes through a real gunicorn with three worker processes (as `make run` serves), so commands
race across processes and are retried with jittered backoff.
"""

import threading
import time
from collections import Counter
from decimal import Decimal

import requests

from apps.eventstore.documents import EventDocument
from tests.harness.gunicorn import gunicorn
from tests.harness.tokens import authorization, token_for

CLIENTS = 12
DEPOSITS = 20


def deposit_all(url: str, token: str, account_id: str, client: int, answers: list) -> None:
    with requests.Session() as session:
        session.headers["Authorization"] = f"Token {token}"
        for n in range(DEPOSITS):
            # Distinct amounts: the store must hold each exactly once.
            amount = Decimal(client * DEPOSITS + n + 1) / 100
            try:
                response = session.post(
                    f"{url}/api/v1/accounts/{account_id}/deposit/",
                    json={"amount": str(amount)},
                    timeout=60,
                )
                answers.append((amount, response.status_code, response.json()))
            except (requests.RequestException, ValueError) as exc:
                answers.append((amount, "exception", repr(exc)))


def test_concurrent_deposits_without_expected_version_are_all_accepted(
    transactional_db, event_store_db, tmp_path
):
    token = token_for("teller")
    # The workers scripts/run.sh and the Dockerfile run (gunicorn.conf.py: gthread, WEB_THREADS
    # threads each), so commands race across processes and across threads of one process.
    with gunicorn(tmp_path / "web.log", "--workers", "3") as url:
        opened = requests.post(
            f"{url}/api/v1/accounts/open/",
            json={"holder": "Contended", "account_type": "CURRENT", "opening_balance": "0"},
            headers=authorization(token),
            timeout=30,
        )
        assert opened.status_code == 201, opened.text
        account_id = opened.json()["id"]
        answers: list = []
        clients = [
            threading.Thread(target=deposit_all, args=(url, token, account_id, c, answers))
            for c in range(CLIENTS)
        ]
        started = time.monotonic()
        for client in clients:
            client.start()
        for client in clients:
            client.join(300)
        took = time.monotonic() - started
        assert not any(c.is_alive() for c in clients), "a client never finished"

    statuses = Counter(status for _, status, _ in answers)
    refused = [body for _, status, body in answers if status != 200]
    assert statuses == {200: CLIENTS * DEPOSITS}, (statuses, refused[:5])
    versions = sorted(body["version"] for _, _, body in answers)
    assert versions == list(range(2, CLIENTS * DEPOSITS + 2)), "a version was answered twice"

    docs = list(EventDocument._get_collection().find({"aggregate_id": account_id}))
    assert sorted(d["version"] for d in docs) == list(range(1, CLIENTS * DEPOSITS + 2))
    deposited = sorted(Decimal(d["data"]["amount"]) for d in docs if d["version"] > 1)
    assert deposited == sorted(amount for amount, _, _ in answers)
    last = max(docs, key=lambda d: d["version"])
    assert Decimal(last["data"]["balance"]) == sum(deposited, Decimal("0.00"))
    print(f"\n{CLIENTS * DEPOSITS} deposits from {CLIENTS} clients: {took:.1f} s")
