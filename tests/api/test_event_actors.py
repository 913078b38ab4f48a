"""Every stored event says who caused it (issue 19, item 9): the authenticated caller as
`actor`, the request's X-Request-ID as `correlation_id`, a new `causation_id` per command; the
history endpoints show it, and events stored before show null."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from api_platform.actors import actor_of
from apps.accounts_command.domain.events import FundsDeposited
from apps.accounts_command.infrastructure.event_codec import to_stored
from apps.identity.domain.user_ids import user_id_for
from apps.identity.models import UserIdentity
from tests.harness.tokens import token_for
from tests.support import open_account
from tests.wired import event_store

KEYS = {"actor", "correlation_id", "causation_id", "request_id"}


def stored_metadata(account_id: str, version: int) -> dict[str, str]:
    event = event_store().get(account_id, version)
    assert event is not None
    return event.metadata


def user_named(name: str):
    return get_user_model().objects.get(username=name)


def identity_of(name: str) -> uuid.UUID:
    """The identity of the API client `name` (token_for registers it through the commands)."""
    identity = UserIdentity.objects.get(user=user_named(name))
    assert identity.id == user_id_for(name)
    return identity.id


def deposit(client, account_id: str, amount: str, **headers: str):
    url = f"/api/v1/accounts/{account_id}/deposit/"
    return client.post(url, {"amount": amount}, format="json", **headers)


def test_a_deposit_names_its_caller_its_request_and_its_command(teller):
    account_id = open_account(teller)
    response = deposit(teller, account_id, "5.00", HTTP_X_REQUEST_ID="dep-1")
    assert response.status_code == 200, response.content
    metadata = stored_metadata(account_id, 2)
    assert metadata["actor"] == actor_of(user_named("teller"))
    assert metadata["correlation_id"] == metadata["request_id"] == "dep-1"
    uuid.UUID(metadata["causation_id"])  # a command id
    # Each command is one cause of its own.
    assert stored_metadata(account_id, 1)["causation_id"] != metadata["causation_id"]
    assert stored_metadata(account_id, 1)["actor"] == metadata["actor"]


def test_a_client_with_an_identity_is_named_by_its_identity_uuid(db, event_store_db):
    token = token_for("teller", "identified-teller")
    identity_id = identity_of("identified-teller")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    account_id = open_account(client)
    assert stored_metadata(account_id, 1)["actor"] == str(identity_id)


def test_naming_the_actor_of_a_warm_request_costs_no_query(db, event_store_db):
    token = token_for("auditor", "identified-auditor")
    identity_of("identified-auditor")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    url = f"/api/v1/accounts/{uuid.uuid4()}/"
    assert client.get(url).status_code == 404  # warms the token, its rights and identity
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 404
    assert [q["sql"] for q in queries.captured_queries if "identity" in q["sql"]] == []
    assert len(queries.captured_queries) == 1  # the account's row, as before


def test_a_session_caller_without_an_identity_is_named_by_its_primary_key(teller):
    account_id = open_account(teller)
    # A Django user made outside the identity context (no identity row), in a role.
    plain = get_user_model().objects.create_user("plain-teller")
    plain.groups.add(Group.objects.get(name="tellers"))
    browser = APIClient()  # the browsable API: a logged-in session, no token
    browser.force_login(plain)
    assert deposit(browser, account_id, "1.00").status_code == 200
    assert stored_metadata(account_id, 2)["actor"] == f"user:{plain.pk}"


def test_the_history_shows_who_caused_each_event_never_the_idempotency_key(teller, auditor):
    account_id = open_account(teller)
    response = deposit(
        teller, account_id, "2.00", HTTP_X_REQUEST_ID="dep-2", HTTP_IDEMPOTENCY_KEY="key-of-dep-2"
    )
    assert response.status_code == 200
    assert "idempotency_key" in stored_metadata(account_id, 2)  # stored, for recovery
    events = auditor.get(f"/api/v1/accounts/{account_id}/events/").json()["events"]
    metadata = events[1]["metadata"]
    assert set(metadata) == KEYS
    assert metadata == {
        "actor": actor_of(user_named("teller")),
        "correlation_id": "dep-2",
        "causation_id": stored_metadata(account_id, 2)["causation_id"],
        "request_id": "dep-2",
    }


def test_an_event_stored_before_actors_were_recorded_shows_null(teller):
    account_id = open_account(teller)
    for version, metadata in ((2, {"request_id": "old-1"}), (3, {})):
        legacy = FundsDeposited(
            uuid.uuid4(),
            uuid.UUID(account_id),
            version,
            datetime(2026, 1, version, tzinfo=UTC),
            Decimal("1.00"),
            Decimal(99 + version),
        )
        event_store().append(to_stored(legacy, metadata))
    events = teller.get(f"/api/v1/accounts/{account_id}/events/").json()["events"]
    assert events[1]["metadata"] == {
        "actor": None,
        "correlation_id": None,
        "causation_id": None,
        "request_id": "old-1",
    }
    assert events[2]["metadata"] == dict.fromkeys(KEYS)


# --- the transfers' history -----------------------------------------------------------------


def request_transfer(teller, **headers: str) -> str:
    source, target = open_account(teller), open_account(teller)
    body = {"from_account": source, "to_account": target, "amount": "3.00"}
    response = teller.post("/api/v1/transfers/", body, format="json", **headers)
    assert response.status_code == 202, response.content
    return response.json()["id"]


def test_a_transfers_history_shows_its_requests_caller(teller, auditor):
    transfer_id = request_transfer(teller, HTTP_X_REQUEST_ID="move-1")
    response = auditor.get(f"/api/v1/transfers/{transfer_id}/events/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == transfer_id
    [requested] = body["events"]  # no process manager runs here: only the request
    assert requested["event_type"] == "TransferRequested" and requested["version"] == 1
    assert set(requested) == {
        "event_id",
        "event_type",
        "version",
        "schema_version",
        "timestamp",
        "data",
        "metadata",
    }
    stored = event_store().get(transfer_id, 1)
    assert requested["event_id"] == stored.event_id
    assert requested["timestamp"] == stored.timestamp.isoformat(timespec="milliseconds")
    assert requested["metadata"] == {
        "actor": actor_of(user_named("teller")),
        "correlation_id": "move-1",
        "causation_id": stored.metadata["causation_id"],
        "request_id": "move-1",
    }


@pytest.mark.parametrize("kind", ["unknown", "malformed", "an account"])
def test_a_transfers_history_of_what_is_no_transfer_is_404(teller, kind):
    wanted = {"unknown": str(uuid.uuid4()), "malformed": "abc", "an account": ""}[kind]
    wanted = wanted or open_account(teller)
    response = teller.get(f"/api/v1/transfers/{wanted}/events/")
    assert response.status_code == 404, response.content
    assert response.json()["code"] == "transfer_not_found"


def test_a_transfers_history_needs_a_login(teller):
    transfer_id = request_transfer(teller)
    response = APIClient().get(f"/api/v1/transfers/{transfer_id}/events/")
    assert response.status_code == 401


def test_the_schema_documents_the_metadata_of_every_history(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    assert set(components["EventMetadataOutput"]["properties"]) == KEYS
    assert all(p.get("nullable") for p in components["EventMetadataOutput"]["properties"].values())
    assert "metadata" in components["EventOutput"]["required"]
    events = schema["paths"]["/api/v1/transfers/{transfer_id}/events/"]["get"]
    assert {"200", "401", "403", "404"} <= set(events["responses"])
    ok = events["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ok.endswith("/TransferHistoryOutput")
