"""GET /api/v1/accounts/{id}/as-of/: an account's state then, folded from the real event store."""

import io
import uuid
from datetime import timedelta, timezone
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from apps.accounts_command.domain.account import BankAccount
from apps.accounts_command.infrastructure.account_timeline import CHECKPOINT_EVERY
from apps.accounts_command.infrastructure.event_codec import from_stored
from apps.eventstore.checkpoints import Checkpoints
from apps.eventstore.records import event_key
from apps.eventstore.store import to_document
from bench.streams import T0, stream
from tests.support import command, open_account
from tests.wired import event_store

pytestmark = pytest.mark.django_db


def as_of(client, account_id, query):
    return client.get(f"/api/v1/accounts/{account_id}/as-of/?{query}")


def ok(client, account_id, query):
    response = as_of(client, account_id, query)
    assert response.status_code == 200, response.content
    return response.json()


def refused(client, account_id, query, status, code):
    response = as_of(client, account_id, query)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code, body
    return body


def timestamps(account_id):
    return [e.timestamp for e in event_store().read_stream(account_id)]


@pytest.fixture
def history(teller):
    """An account with 5 events: open 100, +25.50, -20, -105.50, close."""
    account = open_account(teller, balance="100.00")
    assert command(teller, account, "deposit", amount="25.50").status_code == 200
    assert command(teller, account, "withdraw", amount="20.00").status_code == 200
    assert command(teller, account, "withdraw", amount="105.50").status_code == 200
    assert command(teller, account, "close").status_code == 200
    return account


BALANCES = ["100.00", "125.50", "105.50", "0.00", "0.00"]


def test_each_version_gives_the_state_right_after_it(teller, history):
    stamps = timestamps(history)
    for version, balance in enumerate(BALANCES, start=1):
        body = ok(teller, history, f"version={version}")
        assert body == {
            "id": history,
            "holder": "Ada Lovelace",
            "account_type": "SAVINGS",
            "balance": balance,
            "status": "CLOSED" if version == 5 else "OPEN",
            "version": version,
            "as_of": stamps[version - 1].isoformat(timespec="milliseconds"),
        }


def test_at_gives_the_state_after_the_last_event_at_or_before_it(teller, history):
    stamps = timestamps(history)
    for stamp in stamps:
        body = ok(teller, history, "at=" + quote(stamp.isoformat()))
        # Commands a millisecond apart share a stamp: the last event with it counts.
        expected = max(v for v, s in enumerate(stamps, start=1) if s <= stamp)
        assert body["version"] == expected
        assert body["balance"] == BALANCES[expected - 1]
    last = ok(teller, history, "at=" + quote((stamps[-1] + timedelta(days=1)).isoformat()))
    assert last["version"] == 5 and last["status"] == "CLOSED"


def test_at_accepts_z_and_other_offsets(teller, history):
    opened = timestamps(history)[0]
    plus_one = opened.astimezone(timezone(timedelta(hours=1)))
    assert ok(teller, history, "at=" + opened.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))["version"] >= 1
    # An unencoded "+" arrives as a space; read as the offset it was meant to be.
    assert ok(teller, history, "at=" + plus_one.isoformat())["version"] >= 1


def test_moments_outside_the_history_are_404(teller, history):
    before = timestamps(history)[0] - timedelta(milliseconds=1)
    refused(teller, history, "at=" + quote(before.isoformat()), 404, "state_not_found")
    refused(teller, history, "version=6", 404, "state_not_found")
    refused(teller, history, "version=0", 404, "state_not_found")


def test_unknown_and_malformed_accounts_are_404(teller):
    unknown = uuid.uuid4()
    refused(teller, unknown, "version=1", 404, "account_not_found")
    refused(teller, unknown, "at=2025-01-01T00:00:00Z", 404, "account_not_found")
    refused(teller, "not-a-uuid", "version=1", 404, "account_not_found")


@pytest.mark.parametrize(
    "query, field",
    [
        ("version=abc", "version"),
        ("version=-1", "version"),
        ("version=1.5", "version"),
        ("version=99999999999", "version"),
        ("at=yesterday", "at"),
        ("at=2025-13-01T00:00:00Z", "at"),
        ("at=2025-01-01T00:00:00", "at"),  # no time zone
        # Past datetime's range once in UTC (the 500): an offset, both ends.
        ("at=9999-12-31T23:59:59-05:00", "at"),
        ("at=9999-12-31T23:59:59.999999-00:01", "at"),
        ("at=0001-01-01T00:00:00%2B01:00", "at"),
        ("at=0001-01-01T00:59:59+01:00", "at"),  # an unencoded "+" arrives as a space
        ("", "non_field_errors"),
        ("version=1&at=2025-01-01T00:00:00Z", "non_field_errors"),
    ],
)
def test_malformed_queries_are_400(teller, history, query, field):
    body = refused(teller, history, query, 400, "invalid_input")
    assert field in body["errors"], body


def test_the_ends_of_datetimes_range_in_utc_are_answered(teller, history):
    assert ok(teller, history, "at=9999-12-31T23:59:59.999999Z")["version"] == 5
    assert ok(teller, history, "at=" + quote("9999-12-31T23:59:59+14:00"))["version"] == 5
    refused(teller, history, "at=0001-01-01T00:00:00Z", 404, "state_not_found")


def test_an_instant_out_of_range_says_so(teller, history):
    body = refused(teller, history, "at=9999-12-31T23:59:59-05:00", 400, "invalid_input")
    assert "Out of range" in body["errors"]["at"][0]


def test_a_time_without_a_zone_says_so(teller, history):
    body = refused(teller, history, "at=2025-01-01T00:00:00", 400, "invalid_input")
    assert "time zone" in body["errors"]["at"][0]


def test_auditors_may_read_it_anonymous_callers_may_not(auditor, teller, history):
    assert ok(auditor, history, "version=2")["balance"] == "125.50"
    response = APIClient().get(f"/api/v1/accounts/{history}/as-of/?version=2")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_commands_leave_a_checkpoint_every_interval(teller):
    account = open_account(teller, balance="0.00")
    for _ in range(CHECKPOINT_EVERY):
        assert command(teller, account, "deposit", amount="1.00").status_code == 200
    checkpoint = Checkpoints().get(account, CHECKPOINT_EVERY)
    assert checkpoint is not None
    assert checkpoint.state["balance"] == f"{CHECKPOINT_EVERY - 1}.00"
    assert Checkpoints().get(account, CHECKPOINT_EVERY + 1) is None
    body = ok(teller, account, f"version={CHECKPOINT_EVERY + 1}")
    assert body["balance"] == f"{CHECKPOINT_EVERY}.00"


def insert_history(length):
    account = str(uuid.uuid4())
    events = stream(account, length)
    event_store().events.insert_many([to_document(e) for e in events])
    return account, events


def fold(events, version):
    return BankAccount.rebuild(
        uuid.UUID(events[0].aggregate_id), map(from_stored, events[:version])
    )


@pytest.mark.parametrize("version", [1, 24, 25, 26, 499, 500, 977, 1000])
def test_a_long_history_folds_to_the_same_state_as_a_full_fold(teller, version):
    account, events = insert_history(1000)
    body = ok(teller, account, f"version={version}")
    expected = fold(events, version)
    assert body["version"] == version == expected.version
    assert Decimal(body["balance"]) == expected.balance
    assert body["as_of"] == events[version - 1].timestamp.isoformat(timespec="milliseconds")
    # Asked again, it starts from a checkpoint the first fold left, with the same answer.
    if version >= CHECKPOINT_EVERY:
        below = version - version % CHECKPOINT_EVERY
        assert Checkpoints().get(account, below) is not None
    assert ok(teller, account, f"version={version}") == body


def test_a_long_history_by_time_finds_the_version_by_its_stamp(teller):
    account, events = insert_history(1000)
    # Stamps are T0 + version ms: half a millisecond past version 700 is still version 700.
    at = T0 + timedelta(milliseconds=700, microseconds=500)
    body = ok(teller, account, "at=" + quote(at.isoformat()))
    assert body["version"] == 700
    assert Decimal(body["balance"]) == fold(events, 700).balance
    latest = ok(teller, account, "at=2100-01-01T00:00:00Z")
    assert latest["version"] == 1000


def test_a_checkpoint_of_another_account_is_never_used(teller):
    first, _ = insert_history(60)
    second, events = insert_history(60)
    ok(teller, first, "version=50")  # leaves first's checkpoints
    assert Checkpoints().get(second, 50) is None
    assert Decimal(ok(teller, second, "version=50")["balance"]) == fold(events, 50).balance
    assert event_store().events.find_one({"_id": event_key(second, 50)}) is not None


def test_build_checkpoints_fills_in_streams_older_than_checkpoints(teller):
    histories = [insert_history(3 * CHECKPOINT_EVERY + 2) for _ in range(2)]
    assert all(Checkpoints().get(a, CHECKPOINT_EVERY) is None for a, _ in histories)
    out = io.StringIO()
    call_command("build_checkpoints", stdout=out)
    assert out.getvalue().startswith(f"folded {2 * (3 * CHECKPOINT_EVERY + 2)} event(s)")
    for account, events in histories:
        for version in (CHECKPOINT_EVERY, 2 * CHECKPOINT_EVERY, 3 * CHECKPOINT_EVERY):
            checkpoint = Checkpoints().get(account, version)
            assert checkpoint is not None and checkpoint.version == version
            assert Decimal(checkpoint.state["balance"]) == fold(events, version).balance
        assert Checkpoints().get(account, 4 * CHECKPOINT_EVERY) is None


def test_it_is_in_the_openapi_schema_and_the_api_root():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/accounts/{account_id}/as-of/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"account_id", "version", "at"}
    assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
    links = APIClient().get("/api/v1/").json()
    assert links["account_as_of"] == "http://testserver/api/v1/accounts/{id}/as-of/?version={n}"


def test_build_checkpoints_folds_streams_stored_out_of_version_order(teller):
    """It reads the store in stored order (a sorted read of a large store never starts on
    FerretDB): interleaved streams, each stored last version first, fold all the same."""
    length = 2 * CHECKPOINT_EVERY + 1
    accounts = [str(uuid.uuid4()) for _ in range(2)]
    histories = [(account, stream(account, length)) for account in accounts]
    first, second = (events for _, events in histories)
    documents = [to_document(e) for pair in zip(first, second, strict=True) for e in pair]
    event_store().events.insert_many(documents[::-1])
    out = io.StringIO()
    call_command("build_checkpoints", stdout=out)
    assert out.getvalue().startswith(f"folded {2 * length} event(s)")
    for account, events in histories:
        for version in (CHECKPOINT_EVERY, 2 * CHECKPOINT_EVERY):
            checkpoint = Checkpoints().get(account, version)
            assert checkpoint is not None and checkpoint.version == version
            assert Decimal(checkpoint.state["balance"]) == fold(events, version).balance
