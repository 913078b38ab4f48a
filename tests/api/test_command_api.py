"""The command API end to end through Django, against the real MariaDB, FerretDB and Kafka."""

import re
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from apps.accounts_command.domain.events import FundsDeposited
from apps.accounts_command.infrastructure.event_codec import to_stored
from apps.eventstore.documents import EventDocument
from tests.support import NOT_USERS, command, open_account
from tests.wired import event_store

OPEN = "/api/v1/accounts/open/"
TOKEN_LINE = re.compile(
    r"^(created|updated) API client '(.+)' with role (teller|auditor); "
    r"expires \d{4}-\d\d-\d\d \d\d:\d\d UTC; token: "
)


def stored_events():
    return EventDocument._get_collection().count_documents(NOT_USERS)


def stream_versions(account_id):
    docs = EventDocument._get_collection().find({"aggregate_id": account_id})
    return sorted(doc["version"] for doc in docs)


def error_code(response):
    assert response["Content-Type"].startswith("application/json"), response.content
    return response.json()["code"]


def open_body(**overrides):
    return {"holder": "Ada Lovelace", "account_type": "SAVINGS", "opening_balance": "100.00"} | (
        overrides
    )


def post_raw(client, path, raw):
    return client.post(path, data=raw, content_type="application/json")


def history(client, account_id, query=""):
    response = client.get(f"/api/v1/accounts/{account_id}/events/{query}")
    assert response.status_code == 200, response.content
    return response.json()


# --- open ------------------------------------------------------------------------------


def test_open_returns_201_with_id_version_and_location(teller):
    response = teller.post(
        OPEN, open_body(holder="Grace Hopper", account_type="CURRENT"), format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "version"}
    assert body["version"] == 1
    account_id = str(uuid.UUID(body["id"]))
    assert response["Location"] == f"http://testserver/api/v1/accounts/{account_id}/"
    assert stream_versions(account_id) == [1]
    [event] = history(teller, account_id)["events"]
    assert event["event_type"] == "AccountOpened"
    assert event["schema_version"] == 2
    assert event["data"] == {
        "holder": "Grace Hopper",
        "account_type": "CURRENT",
        "opening_balance": "100.00",
    }


def test_each_open_creates_a_new_account(teller):
    first, second = open_account(teller), open_account(teller)
    assert first != second
    assert stored_events() == 2


@pytest.mark.parametrize(
    ("overrides", "stored"),
    [
        ({"opening_balance": "0"}, {"opening_balance": "0.00"}),
        ({"opening_balance": 10.5}, {"opening_balance": "10.50"}),
        ({"opening_balance": "999999999.99"}, {"opening_balance": "999999999.99"}),
        ({"holder": "  " + "x" * 100 + " "}, {"holder": "x" * 100}),
        ({"holder": "  Zoë Ñúñez  "}, {"holder": "Zoë Ñúñez"}),
    ],
)
def test_open_accepts_edge_values_and_stores_them_normalised(teller, overrides, stored):
    account_id = open_account(
        teller,
        holder=overrides.get("holder", "Ada"),
        balance=overrides.get("opening_balance", "1.00"),
    )
    [event] = history(teller, account_id)["events"]
    for field, value in stored.items():
        assert event["data"][field] == value


@pytest.mark.parametrize(
    ("body", "code", "fields"),
    [
        ({}, "invalid_input", {"holder", "account_type", "opening_balance"}),
        ({"account_type": "SAVINGS", "opening_balance": "1"}, "invalid_input", {"holder"}),
        (open_body(holder=""), "invalid_input", {"holder"}),
        (open_body(holder="   "), "invalid_input", {"holder"}),
        (open_body(holder=None), "invalid_input", {"holder"}),
        (open_body(holder="x" * 101), "invalid_input", {"holder"}),
        (open_body(holder="Ada\x00"), "invalid_input", {"holder"}),
        # Control characters pass the serializer and are refused by the domain's own rule.
        (open_body(holder="Ada\tLovelace"), "invalid_holder", {"holder"}),
        (open_body(holder="Ada\x1bLovelace"), "invalid_holder", {"holder"}),
        (open_body(account_type="CHECKING"), "invalid_input", {"account_type"}),
        (open_body(account_type="savings"), "invalid_input", {"account_type"}),
        (open_body(account_type=""), "invalid_input", {"account_type"}),
        (open_body(opening_balance="-0.01"), "invalid_input", {"opening_balance"}),
        (open_body(opening_balance="1000000000"), "invalid_input", {"opening_balance"}),
        (open_body(opening_balance="1e400"), "invalid_input", {"opening_balance"}),
        (open_body(opening_balance="1.005"), "invalid_input", {"opening_balance"}),
        (open_body(opening_balance="NaN"), "invalid_input", {"opening_balance"}),
        (open_body(opening_balance="Infinity"), "invalid_input", {"opening_balance"}),
        (open_body(opening_balance="lots"), "invalid_input", {"opening_balance"}),
        (open_body(opening_balance=None), "invalid_input", {"opening_balance"}),
    ],
)
def test_open_refuses_invalid_input_and_stores_nothing(teller, body, code, fields):
    response = teller.post(OPEN, body, format="json")

    assert response.status_code == 400
    assert error_code(response) == code
    assert set(response.json()["errors"]) == fields
    assert response.json()["detail"]
    assert stored_events() == 0


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b'{"holder": "Ada", ', "parse_error"),
        (b"not json", "parse_error"),
        (b'{"holder": "Ada", "account_type": "SAVINGS", "opening_balance": NaN}', "parse_error"),
        (
            b'{"holder": "Ada", "account_type": "SAVINGS", "opening_balance": Infinity}',
            "parse_error",
        ),
        (
            b'{"holder": "Ada", "account_type": "SAVINGS", "opening_balance": 1e400}',
            "invalid_input",
        ),
        (
            b'{"holder": "Ada", "account_type": "SAVINGS", "opening_balance": 1.005}',
            "invalid_input",
        ),
        (
            b'[{"holder": "Ada", "account_type": "SAVINGS", "opening_balance": "1"}]',
            "invalid_input",
        ),
        (b'"just a string"', "invalid_input"),
    ],
)
def test_open_refuses_malformed_json_bodies(teller, raw, code):
    response = post_raw(teller, OPEN, raw)

    assert response.status_code == 400
    assert error_code(response) == code
    assert stored_events() == 0


def test_a_json_array_body_is_a_non_field_error(teller):
    response = post_raw(teller, OPEN, b"[1, 2]")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert list(response.json()["errors"]) == ["non_field_errors"]


# --- deposit, withdraw, close -----------------------------------------------------------


def test_deposit_withdraw_close_return_the_new_version(teller):
    account_id = open_account(teller, balance="100.00")

    deposit = command(teller, account_id, "deposit", amount="50.25")
    withdraw = command(teller, account_id, "withdraw", amount="150.25")
    close = command(teller, account_id, "close")

    assert (deposit.status_code, deposit.json()) == (200, {"id": account_id, "version": 2})
    assert (withdraw.status_code, withdraw.json()) == (200, {"id": account_id, "version": 3})
    assert (close.status_code, close.json()) == (200, {"id": account_id, "version": 4})
    events = history(teller, account_id)["events"]
    assert [(e["version"], e["event_type"]) for e in events] == [
        (1, "AccountOpened"),
        (2, "FundsDeposited"),
        (3, "FundsWithdrawn"),
        (4, "AccountClosed"),
    ]
    assert events[1]["data"] == {"amount": "50.25", "balance": "150.25"}
    assert events[2]["data"] == {"amount": "150.25", "balance": "0.00"}


def test_amounts_sent_as_json_numbers_keep_their_exact_value(teller):
    account_id = open_account(teller, balance="0.00")
    response = post_raw(teller, f"/api/v1/accounts/{account_id}/deposit/", b'{"amount": 0.10}')
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert history(teller, account_id, "?after=1")["events"][0]["data"]["amount"] == "0.10"


def test_close_accepts_an_empty_body(teller):
    account_id = open_account(teller, balance="0.00")
    response = post_raw(teller, f"/api/v1/accounts/{account_id}/close/", b"")
    assert response.status_code == 200
    assert response.json() == {"id": account_id, "version": 2}


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("deposit", {"amount": "1.00"}),
        ("withdraw", {"amount": "1.00"}),
        ("close", {}),
        ("deposit", {"amount": "1.00", "expected_version": 1}),
    ],
)
def test_a_command_on_an_unknown_account_is_404(teller, name, body):
    open_account(teller)

    response = command(teller, str(uuid.uuid4()), name, **body)

    assert response.status_code == 404
    assert error_code(response) == "account_not_found"
    assert stored_events() == 1


@pytest.mark.parametrize("name", ["deposit", "withdraw", "close", "events"])
@pytest.mark.parametrize("bad_id", ["not-a-uuid", "12345", "0" * 33])
def test_a_malformed_account_id_is_a_json_404(teller, name, bad_id):
    if name == "events":
        response = teller.get(f"/api/v1/accounts/{bad_id}/events/")
    else:
        response = command(teller, bad_id, name, amount="1.00")

    assert response.status_code == 404
    assert error_code(response) == "account_not_found"
    assert bad_id in response.json()["detail"]
    assert stored_events() == 0


def test_paths_without_their_trailing_slash_are_served_not_redirected(teller, auditor):
    opened = teller.post(OPEN.rstrip("/"), open_body(), format="json")
    assert opened.status_code == 201, opened.content
    account_id = opened.json()["id"]
    deposited = teller.post(
        f"/api/v1/accounts/{account_id}/deposit", {"amount": "1.00"}, format="json"
    )
    assert deposited.json() == {"id": account_id, "version": 2}
    assert len(history(auditor, account_id)["events"]) == 2
    assert auditor.get("/api/v1/accounts").status_code == 200


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_api_path_is_a_json_404_even_under_debug(teller, settings, debug, method):
    settings.DEBUG = debug
    for path in ("/api/v1/nothing/", "/api/v1/nothing", "/api/v2/accounts/open/"):
        response = getattr(teller, method)(path)
        assert response.status_code == 404, (path, response.content[:200])
        assert error_code(response) == "not_found"


def test_withdrawing_more_than_the_balance_is_422(teller):
    account_id = open_account(teller, balance="100.00")

    response = command(teller, account_id, "withdraw", amount="100.01")

    assert response.status_code == 422
    assert error_code(response) == "insufficient_funds"
    assert stream_versions(account_id) == [1]


def test_closing_with_money_left_is_422(teller):
    account_id = open_account(teller, balance="0.01")

    response = command(teller, account_id, "close")

    assert response.status_code == 422
    assert error_code(response) == "balance_not_zero"
    assert stream_versions(account_id) == [1]


@pytest.mark.parametrize(
    ("name", "body"),
    [("deposit", {"amount": "1.00"}), ("withdraw", {"amount": "1.00"}), ("close", {})],
)
def test_a_closed_account_refuses_every_command_with_422(teller, name, body):
    account_id = open_account(teller, balance="0.00")
    assert command(teller, account_id, "close").status_code == 200

    response = command(teller, account_id, name, **body)

    assert response.status_code == 422
    assert error_code(response) == "account_closed"
    assert stream_versions(account_id) == [1, 2]


def test_a_deposit_reaching_the_balance_ceiling_is_422(teller):
    account_id = open_account(teller, balance="999999999.99")
    # A history that reached 999,999,999,999.99, stored as the write side stores it.
    event_store().append(
        to_stored(
            FundsDeposited(
                event_id=uuid.uuid4(),
                aggregate_id=uuid.UUID(account_id),
                version=2,
                timestamp=datetime.now(UTC).replace(microsecond=0),
                amount=Decimal("999999000000.00"),
                balance=Decimal("999999999999.99"),
            )
        )
    )

    refused = command(teller, account_id, "deposit", amount="0.01")
    withdrawn = command(teller, account_id, "withdraw", amount="0.01")

    assert refused.status_code == 422
    assert error_code(refused) == "balance_limit_exceeded"
    assert withdrawn.status_code == 200
    assert withdrawn.json()["version"] == 3
    assert stream_versions(account_id) == [1, 2, 3]


@pytest.mark.parametrize("name", ["deposit", "withdraw"])
@pytest.mark.parametrize(
    "amount",
    [
        "-1",
        "-0.01",
        "0",
        "0.00",
        "0.001",
        "10.005",
        # The serializer counts trailing zeros as places (the domain alone accepts "10.000").
        "10.000",
        "1e400",
        "1000000000",
        "1000000000.00",
        "NaN",
        "Infinity",
        "-Infinity",
        "ten",
        "",
        True,
        None,
        [],
    ],
    ids=repr,
)
def test_invalid_amounts_are_400_and_store_nothing(teller, name, amount):
    account_id = open_account(teller, balance="100.00")

    response = command(teller, account_id, name, amount=amount)

    assert response.status_code == 400
    assert error_code(response) == "invalid_input"
    assert list(response.json()["errors"]) == ["amount"]
    assert stream_versions(account_id) == [1]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b'{"amount": NaN}', "parse_error"),
        (b'{"amount": -Infinity}', "parse_error"),
        (b'{"amount": 1e400}', "invalid_input"),
        (b'{"amount": 0.005}', "invalid_input"),
        (b'{"amount": -5}', "invalid_input"),
        (b'{"amount": 0}', "invalid_input"),
        (b"{}", "invalid_input"),
        (b'[{"amount": "1.00"}]', "invalid_input"),
        (b'{"amount": "1.00"', "parse_error"),
    ],
)
def test_invalid_deposit_bodies_are_400_and_store_nothing(teller, raw, code):
    account_id = open_account(teller)

    response = post_raw(teller, f"/api/v1/accounts/{account_id}/deposit/", raw)

    assert response.status_code == 400
    assert error_code(response) == code
    assert stream_versions(account_id) == [1]


# --- expected_version ------------------------------------------------------------------


def test_the_current_expected_version_is_accepted(teller):
    account_id = open_account(teller, balance="100.00")

    deposit = command(teller, account_id, "deposit", amount="1.00", expected_version=1)
    withdraw = command(teller, account_id, "withdraw", amount="101.00", expected_version=2)
    close = command(teller, account_id, "close", expected_version=3)

    assert [r.status_code for r in (deposit, withdraw, close)] == [200, 200, 200]
    assert close.json()["version"] == 4
    assert stream_versions(account_id) == [1, 2, 3, 4]


def test_a_null_expected_version_means_no_check(teller):
    account_id = open_account(teller)
    command(teller, account_id, "deposit", amount="1.00")
    response = command(teller, account_id, "deposit", amount="1.00", expected_version=None)
    assert response.status_code == 200
    assert response.json()["version"] == 3


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("deposit", {"amount": "1.00"}),
        ("withdraw", {"amount": "1.00"}),
        ("close", {}),
    ],
)
@pytest.mark.parametrize("stale", [0, 2, 4])
def test_a_stale_expected_version_is_409_with_the_current_version(teller, name, body, stale):
    account_id = open_account(teller, balance="0.00")
    assert command(teller, account_id, "deposit", amount="5.00").status_code == 200
    assert command(teller, account_id, "withdraw", amount="5.00").status_code == 200

    response = command(teller, account_id, name, expected_version=stale, **body)

    assert response.status_code == 409
    assert error_code(response) == "version_conflict"
    assert response.json()["current_version"] == 3
    assert stream_versions(account_id) == [1, 2, 3]


@pytest.mark.parametrize("name", ["deposit", "withdraw", "close"])
@pytest.mark.parametrize("version", ["abc", 1.5, "1.5", -1, True, [1], 2**31])
def test_a_non_integer_expected_version_is_400(teller, name, version):
    account_id = open_account(teller, balance="0.00")

    response = command(teller, account_id, name, amount="1.00", expected_version=version)

    assert response.status_code == 400
    assert error_code(response) == "invalid_input"
    assert list(response.json()["errors"]) == ["expected_version"]
    assert stream_versions(account_id) == [1]


# --- authentication and authorisation -------------------------------------------------


def anonymous_requests(account_id):
    return [
        ("post", OPEN, open_body()),
        ("post", f"/api/v1/accounts/{account_id}/deposit/", {"amount": "1.00"}),
        ("post", f"/api/v1/accounts/{account_id}/withdraw/", {"amount": "1.00"}),
        ("post", f"/api/v1/accounts/{account_id}/close/", {}),
        ("get", f"/api/v1/accounts/{account_id}/events/", None),
    ]


@pytest.mark.parametrize("index", range(5))
def test_anonymous_calls_are_401_and_store_nothing(teller, index):
    account_id = open_account(teller, balance="0.00")
    method, path, body = anonymous_requests(account_id)[index]

    response = getattr(APIClient(), method)(path, body, format="json")

    assert response.status_code == 401
    assert error_code(response) == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"
    assert stored_events() == 1


def test_a_wrong_token_is_401(teller):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    response = client.post(OPEN, open_body(), format="json")

    assert response.status_code == 401
    assert error_code(response) == "authentication_failed"
    assert stored_events() == 0


@pytest.mark.parametrize(
    ("name", "body"),
    [("deposit", {"amount": "1.00"}), ("withdraw", {"amount": "1.00"}), ("close", {})],
)
def test_an_auditor_cannot_run_account_commands(teller, auditor, name, body):
    account_id = open_account(teller, balance="0.00")

    response = command(auditor, account_id, name, **body)

    assert response.status_code == 403
    assert error_code(response) == "permission_denied"
    assert stream_versions(account_id) == [1]


def test_an_auditor_cannot_open_an_account(auditor):
    response = auditor.post(OPEN, open_body(), format="json")
    assert response.status_code == 403
    assert error_code(response) == "permission_denied"
    assert stored_events() == 0


def test_an_auditor_can_read_the_event_history(teller, auditor):
    account_id = open_account(teller)
    command(teller, account_id, "deposit", amount="1.00")

    body = history(auditor, account_id)

    assert [e["version"] for e in body["events"]] == [1, 2]


def test_permission_is_checked_before_the_account_id(auditor):
    response = command(auditor, "not-a-uuid", "deposit", amount="1.00")
    assert response.status_code == 403
    assert error_code(response) == "permission_denied"


# --- create_api_client ---------------------------------------------------------------------


def create_client(name, role):
    out = StringIO()
    call_command("create_api_client", name, role=role, stdout=out)
    return out.getvalue().strip()


def client_with(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.mark.usefixtures("db", "event_store_db")
def test_create_api_client_prints_a_working_token_as_the_last_word():
    output = create_client("branch-42", "teller")

    assert "\n" not in output
    assert TOKEN_LINE.match(output).groups() == ("created", "branch-42", "teller")
    token = output.split()[-1]
    assert re.fullmatch(r"[0-9a-f]{64}", token)
    client = client_with(token)
    account_id = open_account(client)
    assert command(client, account_id, "deposit", amount="1.00").status_code == 200
    assert stream_versions(account_id) == [1, 2]


@pytest.mark.usefixtures("db", "event_store_db")
def test_an_auditor_token_reads_events_but_cannot_run_commands(teller):
    account_id = open_account(teller)
    output = create_client("audit-1", "auditor")
    assert TOKEN_LINE.match(output).groups() == ("created", "audit-1", "auditor")
    auditor = client_with(output.split()[-1])

    assert history(auditor, account_id)["events"][0]["version"] == 1
    refused = command(auditor, account_id, "deposit", amount="1.00")
    assert refused.status_code == 403
    assert error_code(refused) == "permission_denied"
    assert stream_versions(account_id) == [1]


@pytest.mark.usefixtures("db", "event_store_db")
def test_rerunning_create_api_client_prints_a_new_token_and_changes_the_role(teller):
    account_id = open_account(teller)
    first = create_client("mover", "teller")
    token = first.split()[-1]
    assert command(client_with(token), account_id, "deposit", amount="1.00").status_code == 200

    second = create_client("mover", "auditor")

    assert TOKEN_LINE.match(second).groups() == ("updated", "mover", "auditor")
    # Only a digest is stored: the first token cannot be shown again, so a new one is issued.
    assert second.split()[-1] != token
    # The role is the client's: both tokens now read and neither runs a command.
    for held in (token, second.split()[-1]):
        refused = command(client_with(held), account_id, "deposit", amount="1.00")
        assert refused.status_code == 403
        assert history(client_with(held), account_id)["events"][0]["version"] == 1
    assert stream_versions(account_id) == [1, 2]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "options"),
    [(["   "], {"role": "teller"}), (["x" * 151], {"role": "teller"}), (["x"], {"role": "admin"})],
)
def test_create_api_client_refuses_bad_arguments(args, options):
    from django.contrib.auth import get_user_model

    with pytest.raises(CommandError):
        call_command("create_api_client", *args, stdout=StringIO(), **options)
    assert get_user_model().objects.count() == 0


# --- the event history ------------------------------------------------------------------


def five_events(teller):
    account_id = open_account(teller, balance="10.00")
    for amount in ("1.00", "2.00", "3.00"):
        assert command(teller, account_id, "deposit", amount=amount).status_code == 200
    assert command(teller, account_id, "withdraw", amount="16.00").status_code == 200
    return account_id


def test_the_history_lists_every_event_in_version_order(teller):
    account_id = five_events(teller)

    body = history(teller, account_id)

    assert body["id"] == account_id
    assert body["next"] is None
    assert [e["version"] for e in body["events"]] == [1, 2, 3, 4, 5]
    first = body["events"][0]
    assert set(first) == {
        "event_id",
        "event_type",
        "version",
        "schema_version",
        "timestamp",
        "data",
        "metadata",
    }
    uuid.UUID(first["event_id"])
    assert datetime.fromisoformat(first["timestamp"]).tzinfo is not None
    assert body["events"][-1]["data"] == {"amount": "16.00", "balance": "0.00"}


def test_the_history_pages_with_after_limit_and_next(teller):
    account_id = five_events(teller)
    url = f"/api/v1/accounts/{account_id}/events/?limit=2"
    pages = []

    while url is not None:
        response = teller.get(url)
        assert response.status_code == 200
        pages.append([e["version"] for e in response.json()["events"]])
        url = response.json()["next"]
        assert len(pages) < 10

    assert pages == [[1, 2], [3, 4], [5]]
    first_next = history(teller, account_id, "?limit=2")["next"]
    assert first_next == (f"http://testserver/api/v1/accounts/{account_id}/events/?after=2&limit=2")


@pytest.mark.parametrize(
    ("query", "versions", "has_next"),
    [
        ("?after=2", [3, 4, 5], False),
        ("?after=4&limit=1", [5], False),
        ("?after=3&limit=1", [4], True),
        ("?after=5", [], False),
        ("?after=99", [], False),
        ("?limit=5", [1, 2, 3, 4, 5], False),
        ("?limit=4", [1, 2, 3, 4], True),
        ("?limit=100", [1, 2, 3, 4, 5], False),
    ],
)
def test_the_history_after_and_limit(teller, query, versions, has_next):
    account_id = five_events(teller)
    body = history(teller, account_id, query)
    assert [e["version"] for e in body["events"]] == versions
    assert (body["next"] is not None) == has_next


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?limit=0", "limit"),
        ("?limit=1001", "limit"),
        ("?limit=x", "limit"),
        ("?after=-1", "after"),
        ("?after=x", "after"),
    ],
)
def test_bad_history_parameters_are_400(teller, query, field):
    account_id = open_account(teller)
    response = teller.get(f"/api/v1/accounts/{account_id}/events/{query}")
    assert response.status_code == 400
    assert error_code(response) == "invalid_input"
    assert list(response.json()["errors"]) == [field]


def test_the_history_of_an_unknown_account_is_404(teller):
    open_account(teller)
    response = teller.get(f"/api/v1/accounts/{uuid.uuid4()}/events/")
    assert response.status_code == 404
    assert error_code(response) == "account_not_found"


# --- schema, docs, browsable API, unknown routes ------------------------------------------


@pytest.fixture
def schema(db):
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def test_the_schema_is_openapi_3_with_the_command_paths(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "TechBank API"
    for path in (
        "/api/v1/accounts/open/",
        "/api/v1/accounts/{account_id}/deposit/",
        "/api/v1/accounts/{account_id}/withdraw/",
        "/api/v1/accounts/{account_id}/close/",
        "/api/v1/accounts/{account_id}/events/",
    ):
        assert path in schema["paths"], path


@pytest.mark.parametrize("name", ["deposit", "withdraw", "close"])
def test_the_schema_documents_every_command_error(schema, name):
    responses = schema["paths"][f"/api/v1/accounts/{{account_id}}/{name}/"]["post"]["responses"]
    assert {"200", "400", "401", "403", "404", "409", "422"} <= set(responses)
    error_ref = responses["422"]["content"]["application/json"]["schema"]["$ref"]
    error_schema = schema["components"]["schemas"][error_ref.rsplit("/", 1)[-1]]
    assert {"code", "detail"} <= set(error_schema["required"])
    assert "current_version" in error_schema["properties"]


def test_the_schema_documents_open_and_events(schema):
    open_responses = schema["paths"]["/api/v1/accounts/open/"]["post"]["responses"]
    assert {"201", "400", "401", "403"} <= set(open_responses)
    events = schema["paths"]["/api/v1/accounts/{account_id}/events/"]["get"]
    assert {"200", "400", "404"} <= set(events["responses"])
    assert {"after", "limit"} <= {p["name"] for p in events["parameters"]}


def test_the_schema_is_served_as_yaml_by_default(db):
    response = APIClient().get("/api/schema/")
    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")


def test_the_swagger_ui_is_served(db):
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"swagger-ui" in response.content
    assert b"/api/schema/" in response.content


@pytest.mark.parametrize("path", ["open/", "{id}/deposit/", "{id}/withdraw/", "{id}/close/"])
def test_the_browsable_api_renders_a_post_form_for_commands(teller, path):
    account_id = open_account(teller)
    url = "/api/v1/accounts/" + path.format(id=account_id)

    response = teller.get(url, HTTP_ACCEPT="text/html")

    assert response.status_code == 405
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert re.search(rf'<form action="{re.escape(url)}" method="POST"', html)
    assert stored_events() == 1


def test_get_on_a_command_without_html_is_a_json_405(teller):
    account_id = open_account(teller)
    response = teller.get(f"/api/v1/accounts/{account_id}/deposit/")
    assert response.status_code == 405
    assert error_code(response) == "method_not_allowed"


def test_an_unknown_route_is_a_json_404(teller):
    response = teller.post("/api/v1/no-such-thing/", {}, format="json")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "No such resource."}
