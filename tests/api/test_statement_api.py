"""GET /api/v1/accounts/{id}/transactions/: newest first, cursor pages, from/to, errors."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from apps.accounts_query.application.queries import FindTransactions, query_dispatcher
from apps.accounts_query.models import Account, StatementLine
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 1, 1, tzinfo=UTC)


def url(account_id: object) -> str:
    return f"/api/v1/accounts/{account_id}/transactions/"


def movements(account: Account, count: int, every: timedelta = timedelta(hours=1)) -> None:
    """An opening of 100.00, then deposits of 1.00, `every` apart from DAY on."""
    StatementLine.objects.bulk_create(
        StatementLine(
            account=account,
            version=v,
            type="OPENING" if v == 1 else "DEPOSIT",
            amount=Decimal("100.00") if v == 1 else Decimal("1.00"),
            balance_after=Decimal(99 + v),
            timestamp=DAY + (v - 1) * every,
        )
        for v in range(1, count + 1)
    )


def versions(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [entry["version"] for entry in response.json()["results"]]


def test_entries_have_the_statement_format(auditor):
    account = AccountFactory()
    movements(account, 2)
    StatementLine.objects.create(
        account=account,
        version=3,
        type="TRANSFER_OUT",
        amount=Decimal("30.00"),
        balance_after=Decimal("71.00"),
        timestamp=DAY + timedelta(days=1),
        transfer_id="7d3c9f4e-1b2a-4c5d-8e6f-0a1b2c3d4e5f",
    )
    body = auditor.get(url(account.id)).json()
    assert set(body) == {"next", "previous", "results"}
    transfer, deposit, opening = body["results"]
    assert transfer == {
        "version": 3,
        "type": "TRANSFER_OUT",
        "amount": "30.00",
        "balance_after": "71.00",
        "timestamp": transfer["timestamp"],
        "transfer_id": "7d3c9f4e-1b2a-4c5d-8e6f-0a1b2c3d4e5f",
    }
    assert datetime.fromisoformat(transfer["timestamp"]) == DAY + timedelta(days=1)
    assert deposit == {
        "version": 2,
        "type": "DEPOSIT",
        "amount": "1.00",
        "balance_after": "101.00",
        "timestamp": deposit["timestamp"],
    }
    assert datetime.fromisoformat(deposit["timestamp"]) == DAY + timedelta(hours=1)
    assert (opening["type"], opening["amount"], opening["balance_after"]) == (
        "OPENING",
        "100.00",
        "100.00",
    )


def test_newest_first_in_cursor_pages(auditor):
    account, other = AccountFactory(), AccountFactory()
    movements(account, 25)
    movements(other, 3)
    first = auditor.get(url(account.id)).json()
    assert [e["version"] for e in first["results"]] == list(range(25, 5, -1))
    assert first["previous"] is None
    second = auditor.get(first["next"])
    assert versions(second) == [5, 4, 3, 2, 1]
    assert second.json()["next"] is None
    assert versions(auditor.get(second.json()["previous"])) == list(range(25, 5, -1))
    small = auditor.get(url(account.id), {"page_size": 10})
    assert versions(small) == list(range(25, 15, -1))
    assert versions(auditor.get(small.json()["next"])) == list(range(15, 5, -1))
    # Without the trailing slash too.
    assert versions(auditor.get(url(other.id).rstrip("/"))) == [3, 2, 1]


def test_page_size_is_at_most_100(auditor):
    account = AccountFactory()
    movements(account, 120, timedelta(minutes=1))
    assert len(versions(auditor.get(url(account.id), {"page_size": 100}))) == 100
    # Past the documented 1-100 is refused, not cut to 100 (tests/api/test_integer_parameters).
    for too_many in (101, 1000, "9" * 5000):
        response = auditor.get(url(account.id), {"page_size": too_many})
        assert response.status_code == 400, response.content
        assert response.json()["errors"]["page_size"] == ["Must be a whole number from 1 to 100."]


def test_from_and_to_are_whole_utc_days_inclusive(auditor):
    account = AccountFactory()
    times = [
        DAY,  # 1: the first moment of Jan 1
        DAY + timedelta(days=1) - timedelta(microseconds=1),  # 2: the last moment of Jan 1
        DAY + timedelta(days=1, hours=12),  # 3: Jan 2
        DAY + timedelta(days=2),  # 4: the first moment of Jan 3
    ]
    for version, moment in enumerate(times, start=1):
        StatementLine.objects.create(
            account=account,
            version=version,
            type="DEPOSIT",
            amount=1,
            balance_after=version,
            timestamp=moment,
        )
    get = auditor.get
    assert versions(get(url(account.id), {"from": "2026-01-02"})) == [4, 3]
    assert versions(get(url(account.id), {"to": "2026-01-01"})) == [2, 1]
    assert versions(get(url(account.id), {"from": "2026-01-02", "to": "2026-01-02"})) == [3]
    assert versions(get(url(account.id), {"from": "2026-01-01", "to": "2026-01-03"})) == [
        4,
        3,
        2,
        1,
    ]
    assert versions(get(url(account.id), {"from": "2026-01-04"})) == []
    assert versions(get(url(account.id), {"to": "9999-12-31"})) == [4, 3, 2, 1]
    # The ends of the calendar are days like any other (no day after 9999-12-31 to overflow).
    assert versions(get(url(account.id), {"from": "0001-01-01", "to": "9999-12-31"})) == [
        4,
        3,
        2,
        1,
    ]
    assert versions(get(url(account.id), {"from": "9999-12-31"})) == []
    assert versions(get(url(account.id), {"to": "0001-01-01"})) == []
    paged = get(url(account.id), {"to": "2026-01-02", "page_size": 2}).json()
    assert [e["version"] for e in paged["results"]] == [3, 2]
    assert "to=2026-01-02" in paged["next"]
    assert versions(get(paged["next"])) == [1]


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-13-01"},
        {"from": "yesterday"},
        {"to": "2026-01-01T00:00:00Z"},
        {"to": "01/02/2026"},
        {"from": "2026-01-03", "to": "2026-01-02"},
        {"page_size": "0"},
        {"page_size": "abc"},
    ],
)
def test_bad_parameters_are_400(auditor, query):
    account = AccountFactory()
    response = auditor.get(url(account.id), query)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_input"
    assert set(body["errors"]) == set(query) - ({"from"} if "to" in query else set())


@pytest.mark.parametrize("account_id", [uuid.uuid4(), "not-a-uuid"])
def test_an_unknown_or_malformed_account_is_404(auditor, account_id):
    response = auditor.get(url(account_id))
    assert response.status_code == 404
    assert response.json()["code"] == "account_not_found"
    assert response["Content-Type"] == "application/json"


def test_an_account_without_lines_has_an_empty_statement(auditor):
    account = AccountFactory()
    assert versions(auditor.get(url(account.id))) == []
    dispatch = query_dispatcher().dispatch
    assert list(dispatch(FindTransactions(account.id))) == []
    assert dispatch(FindTransactions(uuid.uuid4())) is None


def test_who_may_read_it(teller, auditor):
    account = AccountFactory()
    movements(account, 1)
    for client in (teller, auditor):
        assert versions(client.get(url(account.id))) == [1]
    response = APIClient().get(url(account.id))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    nobody = APIClient()
    nobody.force_authenticate(get_user_model().objects.create(username="no-role"))
    response = nobody.get(url(account.id))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_it_is_linked_documented_and_browsable(auditor):
    links = APIClient().get("/api/v1/").json()
    assert links["account_transactions"] == "http://testserver/api/v1/accounts/{id}/transactions/"
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/accounts/{account_id}/transactions/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"from", "to", "cursor", "page_size"}
    assert set(operation["responses"]) >= {"200", "400", "401", "403", "404"}
    account = AccountFactory()
    movements(account, 1)
    page = auditor.get(url(account.id), HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert b"OPENING" in page.content
