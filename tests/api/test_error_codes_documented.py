"""The README's errors table names only codes the API answers: each is produced here by a
request (in process, DRF's test client), or, where that needs a race, a frozen server or a
browser, by the test named for it, and the project's code names it."""

import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pymongo.errors import ServerSelectionTimeoutError
from rest_framework.test import APIClient

from api_platform.errors import exception_handler
from tests.harness.processes import ROOT
from tests.harness.tokens import client_for
from tests.support import command, open_account

pytestmark = pytest.mark.django_db

SOURCES = ("apps", "api_platform", "operations", "kernel", "techbank")
# Produced by these tests (a race, a budget, a lockout, a browser, an overflow over many steps).
ELSEWHERE = {
    "bad_request": "tests/api/test_hostile_input.py",
    "insufficient_scope": "tests/api/test_oauth2.py",
    "forbidden_self_change": "tests/api/test_identity_api.py",
    "wrong_password": "tests/api/test_identity_api.py",
    "concurrency_conflict": "tests/unit/test_dispatcher.py",
    "account_exists": "tests/unit/test_dispatcher.py",
    "transfer_in_flight": "tests/api/test_only_accounts_are_accounts.py",
    "last_administrator": "tests/api/test_identity_api.py",
    "user_removed": "tests/api/test_identity_api.py",
    "user_not_active": "tests/api/test_identity_api.py",
    "idempotency_key_in_progress": "tests/api/test_idempotency.py",
    "balance_limit_exceeded": "tests/api/test_command_api.py",
    "throttled": "tests/api/test_throttling.py",
    "too_many_waits": "tests/api/test_read_wait_limits.py",
    "waiting_threads_busy": "tests/api/test_read_wait_limits.py",
    "too_many_login_attempts": "tests/integration/test_login_limits.py",
    "server_error": "tests/api/test_hostile_input.py",
}


def documented_codes() -> set[str]:
    """The codes of the README's errors table: the backticked words of its second column,
    outside parentheses (which hold examples and field names)."""
    text = (ROOT / "README.md").read_text()
    table = text[text.index("| status | codes |") :].split("\n\n")[0]
    codes: set[str] = set()
    for row in table.splitlines()[2:]:
        cell = row.split("|")[2]
        while re.search(r"\([^()]*\)", cell):
            cell = re.sub(r"\([^()]*\)", "", cell)
        codes |= set(re.findall(r"`([a-z_]+)`", cell))
    return codes


def code_of(response: Any) -> str:
    return response.json()["code"]


@pytest.fixture
def requests_for(teller: APIClient, auditor: APIClient) -> dict[str, Callable[[], Any]]:
    """code -> a request that gets it."""
    admin = client_for("administrator", "codes-admin")
    account = open_account(teller, balance="10.00")
    empty = open_account(teller, balance="0")
    assert command(teller, empty, "close").status_code == 200
    person = admin.post(
        "/api/v1/users/",
        {"username": "codes-ada", "password": "harbour quill saffron 42", "roles": ["teller"]},
        format="json",
    ).json()["id"]
    client = admin.post(
        "/api/v1/api-clients/", {"name": "codes-branch", "role": "teller"}, format="json"
    ).json()["id"]
    deposit = f"/api/v1/accounts/{account}/deposit/"
    nobody = uuid.uuid4()

    def keyed(body: dict) -> Any:
        return teller.post(deposit, body, format="json", HTTP_IDEMPOTENCY_KEY="codes-reused")

    return {
        "same_account": lambda: teller.post(
            "/api/v1/transfers/",
            {"from_account": account, "to_account": account, "amount": "1.00"},
            format="json",
        ),
        "invalid_input": lambda: teller.post(deposit, {"amount": "ten"}, format="json"),
        "parse_error": lambda: teller.post(deposit, "{", content_type="application/json"),
        "invalid_holder": lambda: teller.post(
            "/api/v1/accounts/open/",
            {"holder": "Ada\tLovelace", "account_type": "SAVINGS", "opening_balance": "1"},
            format="json",
        ),
        "weak_password": lambda: admin.post(
            "/api/v1/users/",
            {"username": "codes-weak", "password": "abc", "roles": ["teller"]},
            format="json",
        ),
        "invalid_idempotency_key": lambda: teller.post(
            deposit, {"amount": "1.00"}, format="json", HTTP_IDEMPOTENCY_KEY="x" * 256
        ),
        "not_authenticated": lambda: APIClient().get("/api/v1/accounts/"),
        "authentication_failed": lambda: APIClient().get(
            "/api/v1/accounts/", HTTP_AUTHORIZATION="Token not-a-token"
        ),
        "permission_denied": lambda: auditor.post(deposit, {"amount": "1.00"}, format="json"),
        "account_not_found": lambda: teller.get(f"/api/v1/accounts/{nobody}/events/"),
        "transfer_not_found": lambda: teller.get(f"/api/v1/transfers/{account}/"),
        "state_not_found": lambda: teller.get(f"/api/v1/accounts/{account}/as-of/?version=9"),
        "user_not_found": lambda: admin.get(f"/api/v1/users/{nobody}/"),
        "not_found": lambda: teller.get("/api/v1/no-such-thing/"),
        "method_not_allowed": lambda: teller.get(deposit),
        "request_too_large": lambda: teller.post(
            deposit, "[" * 70_000, content_type="application/json"
        ),
        "unsupported_media_type": lambda: teller.post(deposit, "1", content_type="text/plain"),
        "version_conflict": lambda: command(
            teller, account, "deposit", amount="1.00", expected_version=9
        ),
        "username_taken": lambda: admin.post(
            "/api/v1/users/",
            {"username": "CODES-ADA", "password": "harbour quill saffron 42", "roles": ["teller"]},
            format="json",
        ),
        "user_not_suspended": lambda: admin.post(f"/api/v1/users/{person}/reinstate/"),
        "wrong_kind": lambda: admin.post(
            f"/api/v1/users/{client}/password/", {"password": "x"}, format="json"
        ),
        "insufficient_funds": lambda: command(teller, account, "withdraw", amount="500.00"),
        "account_closed": lambda: command(teller, empty, "deposit", amount="1.00"),
        "balance_not_zero": lambda: command(teller, account, "close"),
        "idempotency_key_reused": lambda: (keyed({"amount": "1.00"}), keyed({"amount": "2.00"}))[1],
        "projection_behind": lambda: teller.get(
            f"/api/v1/accounts/{account}/?min_version=99&wait=0"
        ),
    }


def test_every_documented_code_is_answered(requests_for):
    documented = documented_codes()
    assert len(documented) > 40, "the errors table was not found whole"
    for code, request in requests_for.items():
        response = request()
        assert response.status_code >= 400 and code_of(response) == code, (code, response.content)
    # An unreachable backing service, as the one exception handler answers it.
    unavailable = exception_handler(ServerSelectionTimeoutError("down"), {})
    assert unavailable is not None and unavailable.data["code"] == "service_unavailable"
    shown = set(requests_for) | set(ELSEWHERE) | {"service_unavailable"}
    assert documented - shown == set(), "documented, but no test shows the API answers it"
    assert shown - documented == set(), "answered, but missing from the README's errors table"


@pytest.mark.parametrize(("code", "test"), sorted(ELSEWHERE.items()))
def test_the_codes_produced_elsewhere_are_checked_there_and_named_in_code(code, test):
    assert f'"{code}"' in Path(ROOT / test).read_text(), f"{test} does not check {code}"
    named = any(
        code in path.read_text() for folder in SOURCES for path in (ROOT / folder).rglob("*.py")
    )
    assert named, f"no module of {SOURCES} names {code}"
