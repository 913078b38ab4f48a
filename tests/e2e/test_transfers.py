"""Transfers against the real servers: the API in this process, the consume_events worker and
the run_transfers process manager as child processes, on this test's own topic."""

import uuid

import pytest
from django.contrib.auth import get_user_model

from api_platform.actors import actor_of
from apps.transfers import bootstrap as transfers
from tests.e2e.transfer_support import (
    Processes,
    post_transfer,
    settled,
)
from tests.support import command, open_account, wait_until
from tests.wired import command_dispatcher, get

pytestmark = pytest.mark.kafka


@pytest.fixture
def processes(transactional_db, event_store_db, kafka_topic, tmp_path):
    running = Processes(tmp_path)
    yield running
    running.stop()


def balance(client, account: str, version: int) -> str:
    response = client.get(f"/api/v1/accounts/{account}/?min_version={version}&wait=10")
    assert response.status_code == 200, response.content
    return response.json()["balance"]


def test_a_transfer_completes_and_both_streams_name_it(teller, auditor, processes):
    processes.start_manager()
    source, target = open_account(teller, balance="100.00"), open_account(teller, balance="5.00")
    response = post_transfer(teller, source, target, "30.25")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "PENDING" and body["amount"] == "30.25"
    assert response["Location"].endswith(f"/api/v1/transfers/{body['id']}/")
    final = settled(auditor, body["id"])
    assert final["status"] == "COMPLETED" and final["reason"] is None
    # Requested, debited, credited, completed: version 4 of the transfer's stream.
    waited = auditor.get(f"/api/v1/transfers/{body['id']}/?min_version=4&wait=10")
    assert waited.status_code == 200 and waited.json()["status"] == "COMPLETED"
    behind = auditor.get(f"/api/v1/transfers/{body['id']}/?min_version=5&wait=0.2")
    assert behind.status_code == 503 and behind["Retry-After"] == "1"
    assert behind.json() | {"detail": ""} == {
        "code": "projection_behind",
        "detail": "",
        "current_version": 4,
    }
    assert final["completed_at"] is not None
    assert balance(teller, source, 2) == "69.75"
    assert balance(teller, target, 2) == "35.25"
    events = teller.get(f"/api/v1/accounts/{source}/events/").json()["events"]
    # The debit, then the settle that ends the transfer's entry in the account's state.
    assert [e["event_type"] for e in events[-2:]] == ["FundsTransferredOut", "TransferSettled"]
    assert events[-2]["data"] == {"amount": "30.25", "balance": "69.75", "transfer_id": body["id"]}
    assert events[-1]["data"] == {"transfer_id": body["id"]}
    listed = auditor.get(f"/api/v1/transfers/?account={target}").json()["results"]
    assert [t["id"] for t in listed] == [body["id"]]


def test_refusals_decided_at_once(teller, auditor, event_store_db):
    source, target = open_account(teller), open_account(teller)
    same = post_transfer(teller, source, source, "1.00")
    assert same.status_code == 400 and same.json()["code"] == "same_account"
    for amount in ("-1.00", "1.001", "abc", "0"):
        bad = post_transfer(teller, source, target, amount)
        assert bad.status_code == 400 and bad.json()["code"] == "invalid_input", amount
    for unknown in (str(uuid.uuid4()), "not-a-uuid"):
        missing = post_transfer(teller, source, unknown, "1.00")
        assert missing.status_code == 404 and missing.json()["code"] == "account_not_found"
    extra = teller.post(
        "/api/v1/transfers/",
        {"from_account": source, "to_account": target, "amount": "1.00", "x": 1},
        format="json",
    )
    assert extra.status_code == 400
    assert post_transfer(auditor, source, target, "1.00").status_code == 403
    nothing = teller.get(f"/api/v1/transfers/{uuid.uuid4()}/")
    assert nothing.status_code == 404 and nothing.json()["code"] == "transfer_not_found"
    assert teller.get(f"/api/v1/transfers/?account={source}").json()["results"] == []


def test_insufficient_funds_fails_with_its_reason_and_moves_nothing(teller, processes):
    processes.start_manager()
    source, target = open_account(teller, balance="10.00"), open_account(teller, balance="0.00")
    transfer = post_transfer(teller, source, target, "10.01").json()
    final = settled(teller, transfer["id"])
    assert (final["status"], final["reason"]) == ("FAILED", "insufficient_funds")
    # The refusal is fenced: the source records that it takes no step of this transfer.
    events = teller.get(f"/api/v1/accounts/{source}/events/").json()["events"]
    assert [e["event_type"] for e in events] == ["AccountOpened", "TransferExpired"]
    assert balance(teller, source, 2) == "10.00"
    assert teller.get(f"/api/v1/accounts/{target}/events/").json()["events"][-1]["version"] == 1


def test_a_target_closed_after_the_debit_is_compensated(teller, processes):
    source, target = open_account(teller, balance="50.00"), open_account(teller, balance="0.00")
    transfer = post_transfer(teller, source, target, "20.00").json()
    # The process manager takes one step (the debit) in this process, then "pauses".
    manager = transfers.process_manager(get().event_store, command_dispatcher())
    assert manager.react(uuid.UUID(transfer["id"])).stage == "DEBITED"
    assert command(teller, target, "close").status_code == 200
    processes.start_manager()  # resumes it: the credit is refused, the source refunded
    final = settled(teller, transfer["id"])
    assert (final["status"], final["reason"]) == ("FAILED", "account_closed")
    kinds = [
        e["event_type"] for e in teller.get(f"/api/v1/accounts/{source}/events/").json()["events"]
    ]
    assert kinds == ["AccountOpened", "FundsTransferredOut", "TransferRefunded"]
    assert balance(teller, source, 3) == "50.00"


def test_idempotency_key_on_a_transfer(teller, processes):
    source, target = open_account(teller, balance="50.00"), open_account(teller, balance="0.00")
    first = post_transfer(teller, source, target, "5.00", HTTP_IDEMPOTENCY_KEY="t-1")
    again = post_transfer(teller, source, target, "5.00", HTTP_IDEMPOTENCY_KEY="t-1")
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    other = post_transfer(teller, source, target, "6.00", HTTP_IDEMPOTENCY_KEY="t-1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    processes.start_manager()
    assert settled(teller, first.json()["id"])["status"] == "COMPLETED"
    assert len(teller.get(f"/api/v1/transfers/?account={source}").json()["results"]) == 1
    assert balance(teller, target, 2) == "5.00"


def test_every_step_names_the_saga_the_request_and_the_transfer_event(teller, auditor, processes):
    """Issue 19, item 9: the run_transfers process (a child process, over Kafka) records each
    account step and transfer event as `system:run_transfers`, under the requesting request's
    id, caused by the transfer event it reacted to."""
    processes.start_manager()
    source, target = open_account(teller, balance="40.00"), open_account(teller, balance="0.00")
    requested = post_transfer(teller, source, target, "15.00", HTTP_X_REQUEST_ID="move-42")
    assert requested.status_code == 202, requested.content
    transfer_id = requested.json()["id"]
    assert settled(auditor, transfer_id)["status"] == "COMPLETED"
    events = auditor.get(f"/api/v1/transfers/{transfer_id}/events/").json()["events"]
    kinds = [e["event_type"] for e in events]
    assert kinds == [
        "TransferRequested",
        "TransferDebited",
        "TransferCredited",
        "TransferCompleted",
    ]
    request, debited, credited, completed = events
    teller_actor = actor_of(get_user_model().objects.get(username="teller"))
    assert request["metadata"]["actor"] == teller_actor
    assert request["metadata"]["correlation_id"] == request["metadata"]["request_id"] == "move-42"
    saga = {"actor": "system:run_transfers", "correlation_id": "move-42", "request_id": None}
    assert debited["metadata"] == {**saga, "causation_id": request["event_id"]}
    assert credited["metadata"] == {**saga, "causation_id": debited["event_id"]}
    assert completed["metadata"] == {**saga, "causation_id": debited["event_id"]}

    def steps(account: str, version: int) -> list[dict]:
        url = f"/api/v1/accounts/{account}/events/"
        found = auditor.get(url).json()["events"]
        return found if len(found) >= version else []

    # Each account: the step, then the settle once the transfer completed.
    out, settled_out = wait_until(lambda: steps(source, 3), what="the source's settle")[1:]
    into, settled_in = wait_until(lambda: steps(target, 3), what="the target's settle")[1:]
    assert (out["event_type"], into["event_type"]) == ("FundsTransferredOut", "FundsTransferredIn")
    assert out["metadata"] == {**saga, "causation_id": request["event_id"]}
    assert into["metadata"] == {**saga, "causation_id": debited["event_id"]}
    for settle in (settled_out, settled_in):
        assert settle["event_type"] == "TransferSettled"
        assert settle["metadata"] == {**saga, "causation_id": completed["event_id"]}
