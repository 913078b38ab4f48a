"""Issue 9, section 5: hostile bodies and headers get a clear JSON answer and store nothing.

Each case the issue reproduced is here with its exact status and code; nothing reached the event
store is checked on the account's own stream (or the store's event count for an open).
"""

import json
import logging

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from apps.eventstore.documents import EventDocument
from tests.support import NOT_USERS, command, open_account

OPEN = "/api/v1/accounts/open/"
LIMIT = 64 * 1024


def stored_events() -> int:
    return EventDocument._get_collection().count_documents(NOT_USERS)


def versions(account_id: str) -> list[int]:
    docs = EventDocument._get_collection().find({"aggregate_id": account_id})
    return sorted(doc["version"] for doc in docs)


def post(client, path, raw, content_type="application/json", **extra):
    return client.generic("POST", path, raw, content_type=content_type, **extra)


def error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    body = response.json()
    assert body["detail"]
    return body


def deposit_path(account_id: str) -> str:
    return f"/api/v1/accounts/{account_id}/deposit/"


def open_raw(balance: str) -> bytes:
    return f'{{"holder": "Ada", "account_type": "SAVINGS", "opening_balance": {balance}}}'.encode()


# --- deep nesting --------------------------------------------------------------------------


def test_100000_brackets_are_a_413_and_store_nothing(teller):
    account_id = open_account(teller)
    body = error(post(teller, deposit_path(account_id), b"[" * 100_000), 413)
    assert body["code"] == "request_too_large"
    assert versions(account_id) == [1]


@override_settings(API_MAX_BODY_BYTES=200_000)
@pytest.mark.parametrize(
    "raw", [b"[" * 100_000, b'{"a": ' * 33 + b"1" + b"}" * 33, b"[" * 5000 + b"]" * 5000]
)
def test_deep_nesting_under_the_size_limit_is_a_parse_error(teller, raw):
    account_id = open_account(teller)
    assert error(post(teller, deposit_path(account_id), raw), 400)["code"] == "parse_error"
    assert versions(account_id) == [1]


def test_nesting_inside_strings_does_not_count(teller):
    holder = "[" * 40 + "{" * 40
    response = teller.post(
        OPEN, {"holder": holder, "account_type": "SAVINGS", "opening_balance": "1"}, format="json"
    )
    assert response.status_code == 201, response.content


# --- charsets ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "charset", ["bz2_codec", "rot13", "hex", "base64", "zlib_codec", "uu", "no-such-codec", ""]
)
def test_a_charset_that_is_not_text_is_a_415(teller, charset):
    account_id = open_account(teller)
    response = post(
        teller,
        deposit_path(account_id),
        b'{"amount": "1.00"}',
        content_type=f"application/json; charset={charset}",
    )
    assert error(response, 415)["code"] == "unsupported_media_type"
    assert versions(account_id) == [1]


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", "utf8", "utf-16", "utf-32", "us-ascii"])
def test_unicode_charsets_are_read(teller, charset):
    account_id = open_account(teller)
    response = post(
        teller,
        deposit_path(account_id),
        '{"amount": "1.00"}'.encode(charset),
        content_type=f"application/json; charset={charset}",
    )
    assert response.status_code == 200, response.content
    assert versions(account_id) == [1, 2]


# --- size ----------------------------------------------------------------------------------


def padded(raw: bytes, size: int) -> bytes:
    return raw + b" " * (size - len(raw))


def test_a_3_mib_body_is_a_json_413(teller):
    account_id = open_account(teller)
    raw = json.dumps({"amount": "1.00", "note": "x" * 3 * 1024 * 1024}).encode()
    body = error(post(teller, deposit_path(account_id), raw), 413)
    assert body["code"] == "request_too_large"
    assert str(LIMIT) in body["detail"]
    assert versions(account_id) == [1]


def test_the_limit_is_inclusive(teller):
    account_id = open_account(teller)
    at_limit = post(teller, deposit_path(account_id), padded(b'{"amount": "1.00"}', LIMIT))
    over = post(teller, deposit_path(account_id), padded(b'{"amount": "1.00"}', LIMIT + 1))
    assert at_limit.status_code == 200, at_limit.content
    assert error(over, 413)["code"] == "request_too_large"
    assert versions(account_id) == [1, 2]


@override_settings(API_MAX_BODY_BYTES=100)
def test_the_limit_is_a_setting(teller):
    response = post(teller, OPEN, padded(open_raw('"1.00"'), 101))
    assert error(response, 413)["code"] == "request_too_large"
    assert stored_events() == 0


@override_settings(API_MAX_BODY_BYTES=10_000_000, DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_djangos_own_size_limit_is_a_json_413_too(teller):
    response = post(teller, OPEN, b"a=" + b"x" * 2000, "application/x-www-form-urlencoded")
    assert error(response, 413)["code"] == "request_too_large"
    assert stored_events() == 0


@pytest.mark.parametrize("length", ["abc", "-5", "1e3", " 12x"])
def test_a_content_length_that_is_no_number_is_a_400(teller, length):
    account_id = open_account(teller)
    response = post(teller, deposit_path(account_id), b'{"amount": "1.00"}', CONTENT_LENGTH=length)
    assert error(response, 400)["code"] == "bad_request"
    assert versions(account_id) == [1]


# --- amounts -------------------------------------------------------------------------------

# Arabic-Indic and fullwidth "10" first: Decimal() reads both as ten.
NOT_MONEY = ["\u0661\u0660", "\uff11\uff10", "1_0.00", "+5", " 5", "5 ", "5.", ".5", "1e2"]
NOT_MONEY += ["1E2", "0x10", "5\n"]
NOT_MONEY += ["10.000", "-0", "-0.00", "00000000001", "1" * 11, "²", "5,00", "", "1 000"]


@pytest.mark.parametrize("amount", NOT_MONEY, ids=repr)
def test_amounts_that_are_not_plain_ascii_decimals_are_refused(teller, amount):
    account_id = open_account(teller)
    response = command(teller, account_id, "deposit", amount=amount)
    body = error(response, 400)
    assert body["code"] == "invalid_input"
    assert list(body["errors"]) == ["amount"]
    assert versions(account_id) == [1]


@pytest.mark.parametrize("balance", NOT_MONEY, ids=repr)
def test_opening_balances_that_are_not_plain_ascii_decimals_are_refused(teller, balance):
    response = teller.post(
        OPEN, {"holder": "Ada", "account_type": "SAVINGS", "opening_balance": balance}, "json"
    )
    body = error(response, 400)
    assert body["code"] == "invalid_input"
    assert list(body["errors"]) == ["opening_balance"]
    assert stored_events() == 0


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("1e2", "invalid_input"),
        ("1E2", "invalid_input"),
        ("1.0e1", "invalid_input"),
        ("100e-2", "invalid_input"),
        ("-0", "invalid_input"),
        ("-0.0", "invalid_input"),
        ("10.000", "invalid_input"),
        ("12345678901", "invalid_input"),
        ("+5", "parse_error"),
        ("5.", "parse_error"),
        (".5", "parse_error"),
        ("05", "parse_error"),
        ("0x10", "parse_error"),
    ],
)
def test_json_numbers_must_be_written_plainly(teller, number, code):
    response = post(teller, OPEN, open_raw(number))
    assert error(response, 400)["code"] == code
    assert stored_events() == 0


@pytest.mark.parametrize(
    ("written", "stored"),
    [("0", "0.00"), ("10", "10.00"), ("10.5", "10.50"), ("0.10", "0.10"), ('"7"', "7.00")],
)
def test_plain_json_numbers_are_still_money(teller, written, stored):
    response = post(teller, OPEN, open_raw(written))
    assert response.status_code == 201, response.content
    [event] = EventDocument._get_collection().find({"aggregate_id": response.json()["id"]})
    assert event["data"]["opening_balance"] == stored


# --- unknown fields, duplicates, odd strings -------------------------------------------------


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("deposit", {"amount": "1.00", "expected_versoin": 1}),
        ("withdraw", {"amount": "1.00", "expected_versoin": 1}),
        ("close", {"expected_versoin": 1}),
    ],
)
def test_an_unknown_field_is_a_400_naming_it(teller, name, body):
    account_id = open_account(teller, balance="0.00")
    command(teller, account_id, "deposit", amount="5.00")

    response = command(teller, account_id, name, **body)

    body = error(response, 400)
    assert body["code"] == "invalid_input"
    assert body["errors"] == {"expected_versoin": ["Unknown field."]}
    assert versions(account_id) == [1, 2]


def test_an_unknown_field_on_open_is_a_400_naming_it(teller):
    response = teller.post(
        OPEN,
        {"holder": "Ada", "account_type": "SAVINGS", "opening_balance": "1", "balance": "9"},
        format="json",
    )
    assert error(response, 400)["errors"] == {"balance": ["Unknown field."]}
    assert stored_events() == 0


@pytest.mark.parametrize(
    "raw",
    [
        b'{"amount": "1.00", "amount": "900.00"}',
        b'{"amount": "1.00", "x\\ud800": 1}',
        b'{"amount": "\\udfff"}',
        b'{"amount": "1.00"} {"amount": "2.00"}',
        b"\xff\xfe{}",
    ],
)
def test_ambiguous_or_undecodable_json_is_a_parse_error(teller, raw):
    account_id = open_account(teller)
    assert error(post(teller, deposit_path(account_id), raw), 400)["code"] == "parse_error"
    assert versions(account_id) == [1]


def test_a_paired_surrogate_escape_is_text(teller):
    raw = b'{"holder": "Ada \\ud83d\\ude00", "account_type": "SAVINGS", "opening_balance": "1"}'
    response = post(teller, OPEN, raw)
    assert response.status_code == 201, response.content


# --- other media types -------------------------------------------------------------------


def test_form_bodies_follow_the_same_rules(teller):
    account_id = open_account(teller)
    path = deposit_path(account_id)
    form = "application/x-www-form-urlencoded"

    refused = [post(teller, path, raw, form) for raw in (b"amount=1e2", b"amount=1&expected_x=1")]
    accepted = post(teller, path, b"amount=10.50", form)

    assert [error(r, 400)["code"] for r in refused] == ["invalid_input", "invalid_input"]
    assert accepted.status_code == 200, accepted.content
    assert versions(account_id) == [1, 2]


@pytest.mark.parametrize(
    ("raw", "content_type", "status", "code"),
    [
        (b"--x\r\nbroken", "multipart/form-data; boundary=x", 400, "invalid_input"),
        (b"amount=1", "multipart/form-data", 400, "parse_error"),
        (b'{"amount": "1.00"}', "text/plain", 415, "unsupported_media_type"),
        (b'{"amount": "1.00"}', "application/xml", 415, "unsupported_media_type"),
    ],
)
def test_other_media_types_get_json_errors(teller, raw, content_type, status, code):
    account_id = open_account(teller)
    response = post(teller, deposit_path(account_id), raw, content_type)
    assert error(response, status)["code"] == code
    assert versions(account_id) == [1]


# --- errors Django raises before or after DRF ------------------------------------------------


@pytest.mark.parametrize("debug", [False, True])
def test_a_bad_host_header_is_a_json_400(teller, settings, debug):
    settings.DEBUG = debug
    response = teller.post(OPEN, {}, format="json", HTTP_HOST="evil.example")
    assert error(response, 400)["code"] == "bad_request"
    assert stored_events() == 0


@pytest.mark.urls("tests.api.failing_urls")
@pytest.mark.parametrize("debug", [False, True])
def test_an_uncaught_exception_is_a_json_500_and_is_logged(db, settings, caplog, debug):
    settings.DEBUG = debug
    client = APIClient(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/v1/broken/", HTTP_ACCEPT="text/html")
    assert error(response, 500) == {"code": "server_error", "detail": response.json()["detail"]}
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info[0] is RuntimeError


def test_a_session_post_without_a_csrf_token_is_a_json_403(teller):
    from django.contrib.auth import get_user_model

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="teller"))
    response = client.post(
        OPEN, {"holder": "Ada", "account_type": "SAVINGS", "opening_balance": "1"}, format="json"
    )
    assert error(response, 403)["code"] == "permission_denied"
    assert "CSRF" in response.json()["detail"]
    assert stored_events() == 0


def test_errors_outside_the_api_are_left_alone(db):
    response = APIClient().post("/api-auth/login/", {"username": "x"})
    assert response.status_code in (200, 403)
    assert not response["Content-Type"].startswith("application/json")


# --- the query side ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "balance_gt=\u0661\u0660",
        "balance_gt=1e999999999",
        "balance_lt=sNaN",
        "balance_lt=-Infinity",
        "balance_gt=" + "9" * 5000,
        "page_size=\u0661",
        "page_size=" + "9" * 5000,
        "page=" + "9" * 5000,
        "holder=%00",
        "status=%ff",
    ],
)
def test_hostile_query_values_never_5xx(auditor, query):
    response = auditor.get(f"/api/v1/accounts/?{query}")
    assert response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
    if response.status_code >= 400:
        assert response.json()["code"]


# --- the schema says all this --------------------------------------------------------------


def test_the_schema_documents_the_amount_pattern_413_415_and_no_unknown_fields(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    for name, field in [
        ("OpenAccountInputRequest", "opening_balance"),
        ("AmountInputRequest", "amount"),
    ]:
        assert components[name]["properties"][field]["pattern"] == r"^[0-9]{1,10}(\.[0-9]{1,2})?$"
    for name in ("OpenAccountInputRequest", "AmountInputRequest", "ExpectedVersionInputRequest"):
        assert components[name]["additionalProperties"] is False
    for path in ("open/", "{account_id}/deposit/", "{account_id}/withdraw/", "{account_id}/close/"):
        responses = schema["paths"][f"/api/v1/accounts/{path}"]["post"]["responses"]
        assert {"413", "415"} <= set(responses), path


def test_a_browser_keeps_the_browsable_apis_html_for_drf_errors(teller):
    account_id = open_account(teller)
    html = teller.post(
        deposit_path(account_id), {"amount": "1e2"}, format="json", HTTP_ACCEPT="text/html"
    )
    plain = teller.post(deposit_path(account_id), {"amount": "1e2"}, format="json")
    assert html.status_code == plain.status_code == 400
    assert html["Content-Type"].startswith("text/html")
    assert plain.json()["code"] == "invalid_input"
    assert versions(account_id) == [1]
