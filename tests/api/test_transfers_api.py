"""The transfers API against the real servers: the request (202 from the aggregate), its
refusals, one transfer, and Idempotency-Key repeats (also after the first request died).
The list's pages and filters: tests/api/test_transfers_list.py."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model

from api_platform import idempotency
from apps.eventstore.documents import EventDocument, IdempotencyKey
from apps.eventstore.records import StoredEvent
from apps.transfers.models import TransferRecord
from kernel import request_context
from tests import wired
from tests.api.test_idempotency import claim_as_dead_request
from tests.support import NOT_USERS, open_account

pytestmark = pytest.mark.django_db(transaction=True)
NOW = datetime.now(UTC)
FIELDS = {
    "id",
    "from_account",
    "to_account",
    "amount",
    "status",
    "reason",
    "created_at",
    "completed_at",
    "deadline",
    "version",
}


def post(client, source, target, amount="5.00", **headers):
    body = {"from_account": source, "to_account": target, "amount": amount}
    return client.post("/api/v1/transfers/", body, format="json", **headers)


def transfer_streams() -> set[str]:
    # The teller's own User stream (its token was registered through the commands) aside.
    first = {"version": 1} | NOT_USERS
    return set(EventDocument._get_collection().distinct("aggregate_id", first))


@pytest.fixture
def accounts(teller):
    return open_account(teller, balance="50.00"), open_account(teller, balance="0.00")


def test_a_request_is_accepted_with_the_transfer_as_requested(teller, accounts):
    source, target = accounts
    response = post(teller, source, target, "20.00")

    assert response.status_code == 202, response.content
    body = response.json()
    assert set(body) == FIELDS
    assert (body["from_account"], body["to_account"], body["amount"]) == (source, target, "20.00")
    assert (body["status"], body["reason"], body["completed_at"], body["version"]) == (
        "PENDING",
        None,
        None,
        1,
    )
    created, deadline = (datetime.fromisoformat(body[k]) for k in ("created_at", "deadline"))
    assert created.utcoffset() == timedelta(0) and deadline > created
    assert response["Location"] == f"http://testserver/api/v1/transfers/{body['id']}/"


def test_a_transfer_id_is_no_account_on_either_side(teller, accounts):
    source, target = accounts
    transfer_id = post(teller, source, target).json()["id"]

    to_it = post(teller, source, transfer_id)
    from_it = post(teller, transfer_id, target)

    for refused in (to_it, from_it):
        assert refused.status_code == 404, refused.content
        assert refused.json()["code"] == "account_not_found"
    assert len(transfer_streams()) == 3  # two accounts, one transfer: nothing more stored


@pytest.mark.parametrize("unknown", [str(uuid.uuid4()), "not-a-uuid", "", "x" * 300])
def test_an_unknown_or_malformed_account_is_a_404(teller, accounts, unknown):
    source, _ = accounts
    for response in (post(teller, source, unknown), post(teller, unknown, source)):
        if unknown == "":  # a blank field is a field error, as for every body
            assert response.status_code == 400 and response.json()["code"] == "invalid_input"
            continue
        assert response.status_code == 404 and response.json()["code"] == "account_not_found"


def test_the_same_account_twice_is_a_400(teller, accounts):
    response = post(teller, accounts[0], accounts[0])
    assert (response.status_code, response.json()["code"]) == (400, "same_account")


@pytest.mark.parametrize("amount", ["-1.00", "1.001", "abc", "0", "0.00", "1e2", 5.555, None])
def test_a_malformed_amount_is_a_400(teller, accounts, amount):
    response = post(teller, *accounts, amount=amount)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_input")
    assert "amount" in response.json()["errors"]
    assert len(transfer_streams()) == 2


def test_an_unknown_field_is_a_400(teller, accounts):
    body = {"from_account": accounts[0], "to_account": accounts[1], "amount": "1.00", "x": 1}
    response = teller.post("/api/v1/transfers/", body, format="json")
    assert (response.status_code, response.json()["errors"]) == (400, {"x": ["Unknown field."]})


def test_only_tellers_request_transfers(auditor, accounts):
    response = post(auditor, *accounts)
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_one_transfer_from_the_read_model(auditor):
    row = TransferRecord.objects.create(
        id=uuid.uuid4(),
        from_account=uuid.uuid4(),
        to_account=uuid.uuid4(),
        amount="12.50",
        status="FAILED",
        reason="timed_out",
        created_at=datetime.fromisoformat("2026-03-01T10:00:00.123+00:00"),
        completed_at=datetime.fromisoformat("2026-03-01T10:01:00.5+00:00"),
        deadline=datetime.fromisoformat("2026-03-01T10:01:00.123+00:00"),
        version=6,
    )
    body = auditor.get(f"/api/v1/transfers/{row.id}/").json()
    assert body == {
        "id": str(row.id),
        "from_account": str(row.from_account),
        "to_account": str(row.to_account),
        "amount": "12.50",
        "status": "FAILED",
        "reason": "timed_out",
        "created_at": "2026-03-01T10:00:00.123000Z",
        "completed_at": "2026-03-01T10:01:00.500000Z",
        "deadline": "2026-03-01T10:01:00.123000Z",
        "version": 6,
    }


@pytest.mark.parametrize("wait", ["", "?min_version=1&wait=0.2"])
def test_an_account_or_unknown_id_is_no_transfer(teller, accounts, wait):
    for wrong in (accounts[0], str(uuid.uuid4()), "not-a-uuid"):
        response = teller.get(f"/api/v1/transfers/{wrong}/{wait}")
        assert response.status_code == 404, (wrong, response.content)
        assert response.json()["code"] == "transfer_not_found"


def test_a_repeat_gets_the_first_answer_and_requests_nothing(teller, accounts):
    first = post(teller, *accounts, HTTP_IDEMPOTENCY_KEY="t-1")
    again = post(teller, *accounts, HTTP_IDEMPOTENCY_KEY="t-1")
    other = post(teller, *accounts, amount="6.00", HTTP_IDEMPOTENCY_KEY="t-1")

    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    assert len(transfer_streams()) == 3


@pytest.mark.parametrize("state", ["running", "failed"])
def test_a_request_that_died_after_storing_is_answered_as_it_would_have_been(
    teller, accounts, state
):
    user = get_user_model().objects.get(username="teller").pk
    key_hash = idempotency._digest(str(user), "died")
    body = {"amount": "5.00", "from_account": accounts[0], "to_account": accounts[1]}
    fingerprint = idempotency._digest("POST", "/api/v1/transfers", idempotency._canonical(body))
    # The first request stored its TransferRequested with the key, then its process died
    # (left "running"), or it failed after storing it (marked "failed").
    with request_context.bound(idempotency_key=key_hash):
        first = post(teller, *accounts)
    assert first.status_code == 202
    claim_as_dead_request(key_hash, fingerprint)
    if state == "failed":
        keys = IdempotencyKey._get_collection()
        keys.update_one({"_id": key_hash}, {"$set": {"state": "failed", "at": datetime.now(UTC)}})
    # Meanwhile the saga moved on: the repeat still shows what the first answer showed.
    transfer_id = first.json()["id"]
    wired.event_store().append(
        StoredEvent(str(uuid.uuid4()), transfer_id, "Transfer", 2, "TransferDebited", 1, {}, NOW)
    )

    again = post(teller, *accounts, HTTP_IDEMPOTENCY_KEY="died")

    assert (again.status_code, again.json()) == (202, first.json())
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert len(transfer_streams()) == 3


def test_a_transfer_asked_for_before_its_row_is_projected_is_waited_for_not_denied(
    teller, accounts
):
    first = post(teller, *accounts)  # accepted; no run_transfers here projects its row
    transfer_id = first.json()["id"]
    behind = teller.get(f"/api/v1/transfers/{transfer_id}/")
    assert behind.status_code == 503, behind.content
    assert behind["Retry-After"] == "1"
    assert behind.json() | {"detail": ""} == {
        "code": "projection_behind",
        "detail": "",
        "current_version": 0,
    }
    body = first.json()
    TransferRecord.objects.create(
        id=transfer_id,
        from_account=body["from_account"],
        to_account=body["to_account"],
        amount=body["amount"],
        status="PENDING",
        created_at=datetime.fromisoformat(body["created_at"].replace("Z", "+00:00")),
        deadline=datetime.fromisoformat(body["deadline"].replace("Z", "+00:00")),
        version=1,
    )
    shown = teller.get(f"/api/v1/transfers/{transfer_id}/")
    assert (shown.status_code, shown.json()["status"]) == (200, "PENDING")
