"""X-Request-ID: taken from the client or made up, returned on every response, on every log line."""

import re

import pytest
from rest_framework.test import APIClient

from tests.log_capture import captured, json_lines
from tests.support import open_account

GENERATED = re.compile(r"[0-9a-f]{32}")


def test_the_clients_id_comes_back(teller):
    response = teller.get("/api/v1/", HTTP_X_REQUEST_ID="abc-123")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "abc-123"


def test_without_one_a_new_id_is_made_for_each_request(teller):
    first = teller.get("/api/v1/")["X-Request-ID"]
    second = teller.get("/api/v1/")["X-Request-ID"]
    assert GENERATED.fullmatch(first) and GENERATED.fullmatch(second)
    assert first != second


@pytest.mark.parametrize(
    "bad", ["abc\x01def", "new\nline", "a" * 1000, "A" * 201, "caf\u00e9", "   "]
)
def test_an_invalid_id_is_replaced(teller, bad):
    returned = teller.get("/api/v1/", HTTP_X_REQUEST_ID=bad)["X-Request-ID"]
    assert returned != bad
    assert GENERATED.fullmatch(returned)


@pytest.mark.django_db
def test_error_responses_carry_it_too(teller):
    anonymous = APIClient()
    unauthorised = anonymous.get("/api/v1/accounts/", HTTP_X_REQUEST_ID="r-401")
    assert (unauthorised.status_code, unauthorised["X-Request-ID"]) == (401, "r-401")
    missing = teller.get("/api/v1/no-such-thing/", HTTP_X_REQUEST_ID="r-404")
    assert (missing.status_code, missing["X-Request-ID"]) == (404, "r-404")
    refused = teller.post(
        "/api/v1/accounts/open/", {"holder": ""}, format="json", HTTP_X_REQUEST_ID="r-400"
    )
    assert (refused.status_code, refused["X-Request-ID"]) == (400, "r-400")


def test_the_command_log_line_names_the_request_command_account_and_version(teller):
    with captured("json", "apps.accounts_command.api.views") as out:
        account_id = open_account(teller)
        response = teller.post(
            f"/api/v1/accounts/{account_id}/deposit/",
            {"amount": "5.00"},
            format="json",
            HTTP_X_REQUEST_ID="follow-me-1",
        )
    assert response.status_code == 200
    lines = json_lines(out)
    assert [line["message"] for line in lines] == ["command handled", "command handled"]
    deposit = lines[1]
    assert deposit["request_id"] == "follow-me-1"
    assert deposit["command"] == "DepositFunds"
    assert deposit["account_id"] == account_id
    assert deposit["version"] == 2
    assert GENERATED.fullmatch(lines[0]["request_id"])
    assert lines[0]["command"] == "OpenAccount"


def test_djangos_line_for_a_4xx_names_the_request_too(teller):
    # Written after the middleware has left the request's context: the id comes from the request.
    with captured("json", "django.request") as out:
        teller.get("/api/v1/no-such-thing/", HTTP_X_REQUEST_ID="r-404-logged")
    (line,) = json_lines(out)
    assert line["message"] == "Not Found: /api/v1/no-such-thing/"
    assert line["request_id"] == "r-404-logged"
    assert line["status_code"] == 404
    assert "request" not in line
