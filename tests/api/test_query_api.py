"""The read side's API: the four queries, pagination, filter validation, permissions."""

import uuid
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from apps.accounts_query.application.queries import (
    FindAccountById,
    FindAccountsByHolder,
    FindAccountsWithBalance,
    FindAllAccounts,
    query_dispatcher,
)
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def ids(response) -> set[str]:
    return {row["id"] for row in response.json()["results"]}


def test_the_query_dispatcher_answers_the_four_queries():
    rich = AccountFactory(holder="Rich", balance=Decimal("5000.00"))
    poor = AccountFactory(holder="Poor", balance=Decimal("5.00"))
    dispatch = query_dispatcher().dispatch
    assert set(dispatch(FindAllAccounts())) == {rich, poor}
    assert dispatch(FindAccountById(rich.id)) == rich
    assert dispatch(FindAccountById(uuid.uuid4())) is None
    assert list(dispatch(FindAccountsByHolder("  rich "))) == [rich]
    assert list(dispatch(FindAccountsWithBalance(greater_than=Decimal("100")))) == [rich]
    assert list(dispatch(FindAccountsWithBalance(less_than=Decimal("100")))) == [poor]


def test_one_account_or_a_json_404(auditor):
    account = AccountFactory(holder="Ada", balance=Decimal("12.30"), version=3)
    body = auditor.get(f"/api/v1/accounts/{account.id}/").json()
    assert body["holder"] == "Ada"
    assert body["balance"] == "12.30"
    assert body["version"] == 3
    assert body["status"] == "OPEN"
    for missing in (str(uuid.uuid4()), "not-a-uuid"):
        response = auditor.get(f"/api/v1/accounts/{missing}/")
        assert response.status_code == 404
        assert response.json()["code"] == "account_not_found"


def test_list_is_paginated_with_a_maximum_page_size(auditor):
    AccountFactory.create_batch(25)
    first = auditor.get("/api/v1/accounts/").json()
    # Cursor pages: no count (it would cost a scan of the table on every page).
    assert set(first) == {"next", "previous", "results"}
    assert len(first["results"]) == 20
    assert first["previous"] is None
    second = auditor.get(first["next"]).json()
    assert len(second["results"]) == 5
    assert second["next"] is None
    assert ids(auditor.get(second["previous"])) == ids(auditor.get("/api/v1/accounts/"))
    small = auditor.get("/api/v1/accounts/?page_size=5").json()
    assert {r["id"] for r in small["results"]}.isdisjoint(ids(auditor.get(small["next"])))
    assert len(auditor.get("/api/v1/accounts/?page_size=1000").json()["results"]) == 25
    AccountFactory.create_batch(100)
    assert len(auditor.get("/api/v1/accounts/?page_size=1000").json()["results"]) == 100


def test_following_the_cursors_lists_every_account_once_in_opening_order(auditor):
    AccountFactory.create_batch(23, holder="Walker")
    AccountFactory.create_batch(4, holder="Other")
    seen: list[dict] = []
    url = "/api/v1/accounts/?holder=walker&page_size=5"
    while url:
        body = auditor.get(url).json()
        seen += body["results"]
        url = body["next"]
    assert len(seen) == 23
    assert len({row["id"] for row in seen}) == 23
    assert [row["opened_at"] for row in seen] == sorted(row["opened_at"] for row in seen)
    assert {row["holder"] for row in seen} == {"Walker"}


def test_a_cursor_that_is_not_ours_is_a_json_400(auditor):
    response = auditor.get("/api/v1/accounts/", {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert "cursor" in response.json()["errors"]


@pytest.mark.parametrize("page_size", ["0", "-5", "abc", "2.5", "²"])
def test_an_invalid_page_size_is_a_400(auditor, page_size):
    response = auditor.get("/api/v1/accounts/", {"page_size": page_size})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert "page_size" in response.json()["errors"]


def test_filters_combine(auditor):
    a = AccountFactory(holder="Same Name", balance=Decimal("10.00"))
    b = AccountFactory(holder="Same Name", balance=Decimal("500.00"))
    c = AccountFactory(holder="Other", balance=Decimal("500.00"), status="CLOSED")
    get = auditor.get
    assert ids(get("/api/v1/accounts/?holder=same name")) == {str(a.id), str(b.id)}
    assert ids(get("/api/v1/accounts/?balance_gt=100")) == {str(b.id), str(c.id)}
    assert ids(get("/api/v1/accounts/?balance_lt=500")) == {str(a.id)}
    assert ids(get("/api/v1/accounts/?balance_gt=10&balance_lt=500.01")) == {str(b.id), str(c.id)}
    assert ids(get("/api/v1/accounts/?holder=Same Name&balance_gt=100")) == {str(b.id)}
    assert ids(get("/api/v1/accounts/?status=CLOSED")) == {str(c.id)}
    d = AccountFactory(holder="Other", account_type="CURRENT")
    assert {a.account_type, b.account_type, c.account_type} == {"SAVINGS"}
    assert ids(get("/api/v1/accounts/?account_type=CURRENT")) == {str(d.id)}
    assert ids(get("/api/v1/accounts/?account_type=SAVINGS&holder=other")) == {str(c.id)}


def test_empty_filter_values_are_no_filters(auditor):
    a = AccountFactory(holder="Anyone", status="CLOSED")
    b = AccountFactory(holder="Someone")
    every = {str(a.id), str(b.id)}
    assert ids(auditor.get("/api/v1/accounts/?holder=&status=&balance_gt=")) == every


def test_the_schema_documents_each_filter_as_it_is_parsed():
    """The parameters are documented from the FilterSets that parse them (api/parameters.py),
    in the shape drf-spectacular's django-filter extension gave them."""
    paths = APIClient().get("/api/schema/", {"format": "json"}).json()["paths"]
    listing = {p["name"]: p for p in paths["/api/v1/accounts/"]["get"]["parameters"]}
    assert listing["holder"] == {
        "in": "query",
        "name": "holder",
        "schema": {"type": "string"},
        "description": "Exact holder name (case-insensitive)",
    }
    assert listing["balance_gt"]["schema"] == listing["balance_lt"]["schema"] == {"type": "number"}
    assert listing["status"] == {
        "in": "query",
        "name": "status",
        "schema": {"type": "string", "enum": ["CLOSED", "OPEN"]},
        "description": "* `OPEN` - Open\n* `CLOSED` - Closed",
    }
    assert listing["account_type"]["schema"]["enum"] == ["CURRENT", "SAVINGS"]
    assert not any(p.get("required") for p in listing.values())
    statement = paths["/api/v1/accounts/{account_id}/transactions/"]["get"]["parameters"]
    dates = {p["name"]: p for p in statement if p["name"] in ("from", "to")}
    assert {name: p["schema"] for name, p in dates.items()} == {
        "from": {"type": "string", "format": "date"},
        "to": {"type": "string", "format": "date"},
    }
    assert dates["to"]["description"] == "Movements on or before this day (YYYY-MM-DD, UTC)"


@pytest.mark.parametrize(
    "query",
    [
        "balance_gt=abc",
        "balance_lt=NaN",
        "balance_gt=1e999",
        "status=FROZEN",
        "account_type=CHECKING",
        "balance_lt=0.001",
        "holder=" + "x" * 101,
    ],
)
def test_invalid_filter_values_are_400(auditor, query):
    response = auditor.get(f"/api/v1/accounts/?{query}")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_input"


def test_read_permission(teller, auditor):
    account = AccountFactory()
    for client in (teller, auditor):
        assert client.get("/api/v1/accounts/").status_code == 200
        assert client.get(f"/api/v1/accounts/{account.id}/").status_code == 200
    anonymous = APIClient()
    response = anonymous.get("/api/v1/accounts/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    nobody = APIClient()
    nobody.force_authenticate(get_user_model().objects.create(username="no-role"))
    response = nobody.get(f"/api/v1/accounts/{account.id}/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_the_browsable_api_renders_both_endpoints(auditor):
    account = AccountFactory(holder="Browsable")
    for url in ("/api/v1/accounts/", f"/api/v1/accounts/{account.id}/"):
        response = auditor.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert b"Browsable" in response.content
