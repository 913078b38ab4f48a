"""Idempotency-Key on the command API, against the real servers."""

import threading
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from rest_framework.test import APIClient

from apps.eventstore.documents import EventDocument, IdempotencyKey
from tests.harness.tokens import client_for
from tests.support import NOT_USERS, open_account

pytestmark = pytest.mark.django_db(transaction=True)


def post(client, path, body, key):
    return client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def versions(account_id):
    docs = EventDocument._get_collection().find({"aggregate_id": account_id}, {"version": 1})
    return sorted(doc["version"] for doc in docs)


def test_a_repeat_gets_the_same_answer_and_stores_nothing(teller):
    account_id = open_account(teller)
    path = f"/api/v1/accounts/{account_id}/deposit/"
    first = post(teller, path, {"amount": "10.00"}, "deposit-1")
    again = post(teller, path, {"amount": "10.00"}, "deposit-1")

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json() == {"id": account_id, "version": 2}
    assert "Idempotent-Replayed" not in first
    assert again["Idempotent-Replayed"] == "true"
    assert versions(account_id) == [1, 2]


def test_an_opening_repeated_opens_one_account(teller):
    body = {"holder": "Ada", "account_type": "SAVINGS", "opening_balance": "5.00"}
    first = post(teller, "/api/v1/accounts/open/", body, "open-ada")
    again = post(teller, "/api/v1/accounts/open/", body, "open-ada")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert EventDocument._get_collection().count_documents(NOT_USERS) == 1


def test_the_same_key_with_another_body_is_refused(teller):
    account_id = open_account(teller)
    path = f"/api/v1/accounts/{account_id}/deposit/"
    assert post(teller, path, {"amount": "10.00"}, "k").status_code == 200
    reused = post(teller, path, {"amount": "11.00"}, "k")
    elsewhere = post(teller, f"/api/v1/accounts/{account_id}/withdraw/", {"amount": "10.00"}, "k")

    assert (reused.status_code, reused.json()["code"]) == (422, "idempotency_key_reused")
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (422, "idempotency_key_reused")
    assert versions(account_id) == [1, 2]


def test_a_refusal_is_answered_again_even_when_it_would_now_succeed(teller):
    account_id = open_account(teller, balance="5.00")
    path = f"/api/v1/accounts/{account_id}/withdraw/"
    refused = post(teller, path, {"amount": "50.00"}, "withdraw-50")
    assert refused.status_code == 422
    assert (
        teller.post(
            f"/api/v1/accounts/{account_id}/deposit/", {"amount": "100.00"}, format="json"
        ).status_code
        == 200
    )

    again = post(teller, path, {"amount": "50.00"}, "withdraw-50")

    assert (again.status_code, again.json()) == (422, refused.json())
    assert again["Idempotent-Replayed"] == "true"
    assert versions(account_id) == [1, 2]


@pytest.mark.parametrize("field", ["$where", "a.b", "", "\u0000"])
def test_an_answer_naming_any_field_is_kept_and_replayed(teller, field):
    # The 400 names each unknown field it was sent; the store keeps the answer as JSON text,
    # so no name a client chooses makes writing it down fail (a 503 once, for "$where").
    account_id = open_account(teller)
    path = f"/api/v1/accounts/{account_id}/deposit/"
    first = post(teller, path, {"amount": "1.00", field: 1}, "odd-field")
    again = post(teller, path, {"amount": "1.00", field: 1}, "odd-field")
    assert (first.status_code, again.status_code) == (400, 400), first.content
    assert first.json()["errors"] == again.json()["errors"] == {field: ["Unknown field."]}
    assert again["Idempotent-Replayed"] == "true"
    assert versions(account_id) == [1]


def test_keys_belong_to_their_client(teller):
    other = client_for("teller", "other-teller")
    account_id = open_account(teller)
    path = f"/api/v1/accounts/{account_id}/deposit/"

    assert post(teller, path, {"amount": "1.00"}, "shared").json()["version"] == 2
    theirs = post(other, path, {"amount": "1.00"}, "shared")

    assert theirs.json()["version"] == 3
    assert "Idempotent-Replayed" not in theirs


@pytest.mark.parametrize("key", ["", "x" * 256, "caf\u00e9", "tab\there", "new\nline"])
def test_a_malformed_key_is_a_400(teller, key):
    account_id = open_account(teller)
    response = post(teller, f"/api/v1/accounts/{account_id}/deposit/", {"amount": "1.00"}, key)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert versions(account_id) == [1]


def test_parallel_sends_of_one_key_apply_the_command_once(teller):
    account_id = open_account(teller)
    header = teller._credentials["HTTP_AUTHORIZATION"]
    barrier = threading.Barrier(8)
    results = []

    def send():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        try:
            barrier.wait(timeout=30)
            response = post(
                client, f"/api/v1/accounts/{account_id}/deposit/", {"amount": "7.00"}, "once"
            )
            results.append((response.status_code, response.json()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert Counter(status for status, _ in results) == {200: 8}, results
    assert {body["version"] for _, body in results} == {2}
    assert versions(account_id) == [1, 2]


def claim_as_dead_request(key_hash, fingerprint, seconds_ago=3600):
    IdempotencyKey._get_collection().insert_one(
        {
            "_id": key_hash,
            "fingerprint": fingerprint,
            "token": uuid.uuid4().hex,
            "state": "running",
            "at": datetime.now(UTC) - timedelta(seconds=seconds_ago),
        }
    )


def test_a_repeat_while_the_first_runs_is_a_409(teller, settings):
    from api_platform import idempotency

    settings.IDEMPOTENCY_WAIT_SECONDS = 0.2
    account_id = open_account(teller)
    path = f"/api/v1/accounts/{account_id}/deposit/"
    user = get_user_model().objects.get(username="teller").pk
    key_hash = idempotency._digest(str(user), "slow")
    fingerprint = idempotency._digest("POST", path.rstrip("/"), '{"amount":"1.00"}')
    claim_as_dead_request(key_hash, fingerprint, seconds_ago=0)

    response = post(teller, path, {"amount": "1.00"}, "slow")

    assert (response.status_code, response.json()["code"]) == (409, "idempotency_key_in_progress")
    assert versions(account_id) == [1]


def test_a_first_request_that_died_after_storing_is_answered_from_its_event(teller):
    from api_platform import idempotency
    from kernel import request_context

    account_id = open_account(teller)
    path = f"/api/v1/accounts/{account_id}/deposit/"
    user = get_user_model().objects.get(username="teller").pk
    key_hash = idempotency._digest(str(user), "died")
    fingerprint = idempotency._digest("POST", path.rstrip("/"), '{"amount":"3.00"}')
    # The first request stored its event with the key, then its process died.
    with request_context.bound(idempotency_key=key_hash):
        assert teller.post(path, {"amount": "3.00"}, format="json").status_code == 200
    claim_as_dead_request(key_hash, fingerprint)

    again = post(teller, path, {"amount": "3.00"}, "died")

    assert (again.status_code, again.json()) == (200, {"id": account_id, "version": 2})
    assert again["Idempotent-Replayed"] == "true"
    assert versions(account_id) == [1, 2]


def test_a_first_request_that_died_before_storing_is_run_again_once(teller):
    from api_platform import idempotency

    account_id = open_account(teller)
    path = f"/api/v1/accounts/{account_id}/deposit/"
    user = get_user_model().objects.get(username="teller").pk
    key_hash = idempotency._digest(str(user), "lost")
    fingerprint = idempotency._digest("POST", path.rstrip("/"), '{"amount":"3.00"}')
    claim_as_dead_request(key_hash, fingerprint)

    first = post(teller, path, {"amount": "3.00"}, "lost")
    again = post(teller, path, {"amount": "3.00"}, "lost")

    assert first.status_code == 200
    assert "Idempotent-Replayed" not in first
    assert again["Idempotent-Replayed"] == "true"
    assert versions(account_id) == [1, 2]


def test_expired_keys_are_forgotten(event_store_db):
    from tests import wired

    claim_as_dead_request("old", "f", seconds_ago=25 * 3600)
    claim_as_dead_request("new", "f", seconds_ago=60)
    assert wired.get().event_store.idempotency.forget_expired() == 1
    assert [d["_id"] for d in IdempotencyKey._get_collection().find({})] == ["new"]
