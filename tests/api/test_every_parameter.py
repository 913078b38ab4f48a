"""Issue 18, item 6: every parameter of every route refuses bad values with a 400 and a code.

One table: each route's parameters (query string and body), each with the bad values of its kind:
dates that overflow, integers past 64 bits, cursors that are not ours, decimals with exponents,
values out of their documented range. A last test holds the table to the OpenAPI schema: a
query parameter or body field the schema documents and the table lacks fails it.
"""

import base64
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from apps.contract.account_events import HOLDER_MAX_LENGTH
from apps.contract.user_events import DISPLAY_NAME_MAX_LENGTH, USERNAME_MAX_LENGTH
from apps.transfers.models import TransferRecord
from tests.factories import AccountFactory
from tests.harness.tokens import client_for

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 19"
USERNAMES = ["", "has space", "x" * (USERNAME_MAX_LENGTH + 1), "caf\u00e9", "tab\t", 42]
HUGE_INTEGERS = [str(2**64), str(2**63), "-" + str(2**64), "9" * 5000]
EXPONENTS = ["1e2", "1E2", "1e999999999", "1e-999999999", "1E+2"]
NOT_NUMBERS = ["abc", "NaN", "Infinity", "-Infinity", "\u0661", "\uff11", "1_0", "0x10"]
OVERFLOWING_INSTANTS = [
    "9999-12-31T23:59:59-05:00",
    "0001-01-01T00:00:00+05:00",
    "99999-01-01T00:00:00Z",
    "2026-13-01T00:00:00Z",
]
NAIVE_INSTANTS = ["2026-01-01T00:00:00"]
BAD_DAYS = ["99999-01-01", "0000-01-01", "2026-02-30", "20260101", "2026-W01"]


def cursor(raw: str) -> str:
    return base64.b64encode(raw.encode()).decode()


TIME_CURSORS = [
    "not-a-cursor",
    cursor("p=not-a-time"),
    cursor("p=2026-01-01T00:00:00"),  # naive
    cursor("p=0001-01-01T00:00:00+05:00"),  # overflows in UTC
    cursor("p=9999-12-31T23:59:59-05:00"),
    cursor("p=0999-12-31T00:00:00Z"),  # before MySQL's DATETIME
    cursor("o=" + "9" * 5000),
]
VERSION_CURSORS = [
    "not-a-cursor",
    cursor("p=abc"),
    cursor("p=1e5"),
    cursor("p=-1"),
    cursor("p=" + str(2**31)),
    cursor("p=" + "9" * 40),
]
USERNAME_CURSORS = [
    "not-a-cursor",
    cursor("p=has space"),
    cursor("p=" + "x" * (USERNAME_MAX_LENGTH + 1)),
    cursor("p=caf\u00e9"),
    cursor("p=a%"),
    cursor("o=" + "9" * 5000),
]
PAGE_SIZES = ["0", "-1", "abc", "1e2", "2.5", "-" + str(2**64)]
VERSIONS = [*HUGE_INTEGERS, "-1", "1e2", "1.5", "abc", str(2**31)]
WAITS = ["-1", "10.001", "1e30", "1e0", "1_0", "1.", "nan", "inf", "abc", *HUGE_INTEGERS]
UUIDS = ["abc", "12345", "g" * 32, "9" * 5000]

# route -> {parameter: bad values}; {account} and {transfer} are filled in per test.
QUERY = {
    "/api/v1/accounts/": {
        "holder": ["x" * (HOLDER_MAX_LENGTH + 1)],
        "balance_gt": [*EXPONENTS, *NOT_NUMBERS, "1.001", "1" * 16],
        "balance_lt": [*EXPONENTS, *NOT_NUMBERS, "1.001", "1" * 16],
        "status": ["open", "X"],
        "account_type": ["savings", "X"],
        "cursor": TIME_CURSORS,
        "page_size": PAGE_SIZES,  # over 100 gives 100: documented
    },
    "/api/v1/accounts/{account}/": {"min_version": VERSIONS, "wait": WAITS},
    "/api/v1/accounts/{account}/transactions/": {
        "from": [*BAD_DAYS, "2026-01-01T00:00:00Z"],
        "to": [*BAD_DAYS, "2026-01-01T00:00:00Z"],
        "cursor": VERSION_CURSORS,
        "page_size": [*PAGE_SIZES, "101", *HUGE_INTEGERS],
    },
    "/api/v1/accounts/{account}/events/": {
        "after": VERSIONS,
        "limit": ["0", "-1", "1001", "1e2", "abc", *HUGE_INTEGERS],
    },
    "/api/v1/accounts/{account}/as-of/": {
        "version": VERSIONS,
        "at": [*OVERFLOWING_INSTANTS, *NAIVE_INSTANTS, "abc", "1e2"],
    },
    "/api/v1/transfers/": {
        "account": UUIDS,
        "status": ["pending", "X"],
        "from_account": UUIDS,
        "to_account": UUIDS,
        "from": [*OVERFLOWING_INSTANTS, *NAIVE_INSTANTS, *BAD_DAYS[:3], "abc"],
        "to": [*OVERFLOWING_INSTANTS, *NAIVE_INSTANTS, *BAD_DAYS[:3], "abc"],
        "cursor": TIME_CURSORS,
        "page_size": [*PAGE_SIZES, "101", *HUGE_INTEGERS],
    },
    "/api/v1/transfers/{transfer}/": {"min_version": VERSIONS, "wait": WAITS},
    "/api/v1/users/": {
        "role": ["teller,auditor", "Teller", "banker"],
        "status": ["Active", "deleted"],
        "kind": ["person ", "robot"],
        "username": ["x" * (USERNAME_MAX_LENGTH + 1)],
        "cursor": USERNAME_CURSORS,
        "page_size": [*PAGE_SIZES, "101", *HUGE_INTEGERS],
    },
    "/api/v1/users/{user}/events/": {
        "cursor": TIME_CURSORS,
        "page_size": [*PAGE_SIZES, "101", *HUGE_INTEGERS],
    },
}
# Parameters that only mean something with another one (read-your-writes: `wait` alone is
# still checked; `min_version` is given with it so a valid one would wait).
ALONGSIDE = {"wait": {"min_version": "0"}}

AMOUNTS = [
    *EXPONENTS,
    "\u0661\u0660",
    "\uff11\uff10",
    "1_0.00",
    "+5",
    " 5",
    "5.",
    "-0",
    "1.001",
    "9" * 5000,
]
JSON_AMOUNTS = ["1e2", "1E2", "1e999999999", "1.0e1", "-0", "1" * 5000]
VERSION_FIELDS = ["-1", str(2**31), *HUGE_INTEGERS, "1e2", "abc"]
# route -> (a valid body, {field: bad values}); a value in JSON_AMOUNTS also goes as a JSON number
# (written into the body as is: json.dumps would turn 1e2 into 100.0).
BODIES: dict[str, tuple[dict[str, Any], dict[str, list[Any]]]] = {
    "/api/v1/accounts/open/": (
        {"holder": "Ada", "account_type": "SAVINGS", "opening_balance": "5.00"},
        {
            "holder": ["", "x" * (HOLDER_MAX_LENGTH + 1)],
            "account_type": ["savings", "X"],
            "opening_balance": AMOUNTS,
        },
    ),
    "/api/v1/accounts/{account}/deposit/": (
        {"amount": "1.00"},
        {"amount": AMOUNTS, "expected_version": VERSION_FIELDS},
    ),
    "/api/v1/accounts/{account}/withdraw/": (
        {"amount": "1.00"},
        {"amount": AMOUNTS, "expected_version": VERSION_FIELDS},
    ),
    "/api/v1/accounts/{account}/close/": ({}, {"expected_version": VERSION_FIELDS}),
    "/api/v1/transfers/": (
        {"from_account": "{account}", "to_account": "{other}", "amount": "1.00"},
        {"amount": AMOUNTS},
    ),
    "/api/v1/users/": (
        {"username": "newcomer", "password": PASSWORD, "roles": ["teller"]},
        {
            "username": USERNAMES,
            "password": ["", "x" * 513, 12345678901234],
            "roles": [[], ["banker"], "teller", ["administrator", "teller"], ["teller"] * 2],
            "display_name": ["x" * (DISPLAY_NAME_MAX_LENGTH + 1), "bell\u0007", 7],
        },
    ),
    "/api/v1/users/{user}/": (
        {"display_name": "Someone"},
        {
            "roles": [[], ["banker"], "auditor", ["administrator", "auditor"], None],
            "display_name": ["x" * (DISPLAY_NAME_MAX_LENGTH + 1), "tab\there", None],
        },
    ),
    "/api/v1/users/{user}/password/": (
        {"password": PASSWORD},
        {"password": ["", "x" * 513, None], "current_password": ["x" * 513, 5]},
    ),
    "/api/v1/api-clients/": (
        {"name": "machine", "role": "teller"},
        {"name": USERNAMES, "role": ["", "Teller", "banker", ["teller"]]},
    ),
}
# The method of a route's body, when it is not POST.
BODY_METHODS = {"/api/v1/users/{user}/": "PATCH"}
# Who sends the body or the parameters: administrators manage users, tellers everything else.
IDENTITY_ROUTES = ("/api/v1/users/", "/api/v1/api-clients/")


class Number(str):
    """A JSON number's text, sent unquoted."""


def query_cases() -> list[Any]:
    return [
        pytest.param(route, name, value, id=f"{route}?{name}={value[:24]}")
        for route, parameters in QUERY.items()
        for name, values in parameters.items()
        for value in values
    ]


def body_cases() -> list[Any]:
    cases = []
    for route, (_, fields) in BODIES.items():
        for name, values in fields.items():
            for value in values:
                cases.append(
                    pytest.param(route, name, value, id=f"{route} {name}={str(value)[:24]}")
                )
                if value in JSON_AMOUNTS and name != "holder":
                    cases.append(
                        pytest.param(
                            route, name, Number(value), id=f"{route} {name}=json:{value[:24]}"
                        )
                    )
    return cases


@pytest.fixture
def administrator(db: None, event_store_db: None) -> Any:
    return client_for("administrator")


@pytest.fixture
def caller(teller: Any, administrator: Any) -> Any:
    """The client whose role reaches a route (its parameters are checked after its permission)."""
    return lambda route: administrator if route.startswith(IDENTITY_ROUTES) else teller


@pytest.fixture
def ids(administrator: Any) -> dict[str, str]:
    account, other = AccountFactory.create(), AccountFactory.create()
    transfer = TransferRecord.objects.create(
        id=uuid.uuid4(),
        from_account=account.id,
        to_account=other.id,
        amount="1.00",
        status=TransferRecord.Status.COMPLETED,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        version=4,
    )
    registered = administrator.post(
        "/api/v1/users/",
        {"username": "someone", "password": PASSWORD, "roles": ["teller"]},
        format="json",
    )
    assert registered.status_code == 201, registered.content
    return {
        "account": str(account.id),
        "other": str(other.id),
        "transfer": str(transfer.id),
        "user": registered.json()["id"],
    }


def assert_refused(response: Any, field: str | None) -> None:
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "invalid_input", body
    if field is not None:
        assert field in body["errors"] or "non_field_errors" in body["errors"], body


@pytest.mark.parametrize("route, name, value", query_cases())
def test_a_bad_query_parameter_is_a_400(caller, ids, route, name, value):
    path = route.format(**ids)
    params = {**ALONGSIDE.get(name, {}), name: value}
    assert_refused(caller(route).get(path, params), name)


def test_to_before_from_is_a_400(teller, ids):
    statement = f"/api/v1/accounts/{ids['account']}/transactions/"
    for path in (statement, "/api/v1/transfers/"):
        assert_refused(teller.get(path, {"from": "2026-01-02", "to": "2026-01-01"}), "to")


@pytest.mark.parametrize("params", [{}, {"version": "1", "at": "2026-01-01T00:00:00Z"}])
def test_as_of_takes_exactly_one_of_version_and_at(teller, ids, params):
    assert_refused(teller.get(f"/api/v1/accounts/{ids['account']}/as-of/", params), None)


@pytest.mark.parametrize("route", list(QUERY))
def test_an_unknown_format_is_a_400_on_every_read(caller, ids, route):
    assert_refused(caller(route).get(route.format(**ids), {"format": "xml"}), "format")


@pytest.mark.parametrize("route, name, value", body_cases())
def test_a_bad_body_field_is_a_400(caller, ids, route, name, value):
    valid, _ = BODIES[route]
    body = {
        key: item.format(**ids) if isinstance(item, str) else item for key, item in valid.items()
    }
    body[name] = "NUMBER" if isinstance(value, Number) else value
    raw = json.dumps(body).replace('"NUMBER"', str(value))
    method = BODY_METHODS.get(route, "POST")
    response = caller(route).generic(
        method, route.format(**ids), raw, content_type="application/json"
    )
    assert_refused(response, name)


@pytest.mark.parametrize("key", ["", "x" * 256, "caf\u00e9", "a\tb"])
def test_a_bad_idempotency_key_is_a_400(teller, ids, key):
    response = teller.post(
        f"/api/v1/accounts/{ids['account']}/deposit/",
        {"amount": "1.00"},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] == "invalid_idempotency_key"


def test_the_table_names_every_documented_parameter(teller):
    schema = teller.get("/api/schema/", {"format": "json"}).json()
    documented_query: dict[str, set[str]] = {}
    documented_body: dict[str, set[str]] = {}
    for path, operations in schema["paths"].items():
        route = (
            path.replace("{account_id}", "{account}")
            .replace("{transfer_id}", "{transfer}")
            .replace("{user_id}", "{user}")
        )
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            if names:
                documented_query[route] = names
            content = operation.get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema", {}).get("$ref")
            if method in ("post", "patch") and body:
                component = schema["components"]["schemas"][body.rsplit("/", 1)[-1]]
                documented_body[route] = set(component["properties"])
    for route, names in documented_query.items():
        assert names <= set(QUERY.get(route, {})), (route, names - set(QUERY.get(route, {})))
    for route, names in documented_body.items():
        covered = set(BODIES.get(route, ({}, {}))[1]) | {"from_account", "to_account"}
        assert names <= covered, (route, names - covered)
