"""The read path's cost: one SQL query per warm read, and how long a revoked client lingers.

Tokens and permissions are remembered per process for AUTH_CACHE_SECONDS. Changes made through
the ORM here empty that cache at once; the tests below make theirs in raw SQL, as another
process would (no signal reaches this one), so only the time bound can end the client's access.
"""

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework import serializers
from rest_framework.test import APIClient

from apps.accounts_query.api.serializers import AccountOutput
from apps.accounts_query.application.account_by_id import read_account
from apps.accounts_query.models import Account
from tests.factories import AccountFactory
from tests.harness.tokens import token_for
from tests.support import wait_until

pytestmark = pytest.mark.django_db
MARGIN = 1.0  # seconds: the polling interval and a slow machine's request


def new_client(name: str, role: str = "auditor") -> tuple[APIClient, str]:
    token = token_for(role, name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client, token


def sql(statement: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_a_warm_read_by_id_is_one_sql_query():
    client, _ = new_client("reader")
    account = AccountFactory()
    url = f"/api/v1/accounts/{account.id}/"
    assert client.get(url).status_code == 200  # warms the token, the user and its rights
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.json()["id"] == str(account.id)
    assert [q["sql"] for q in queries.captured_queries if "accounts_query" not in q["sql"]] == []
    assert len(queries.captured_queries) == 1


def test_the_account_read_by_id_is_the_one_the_orm_reads():
    """account_by_id.py writes its SQL and converts its row itself: it must give what the ORM
    gives, value, type and time zone, for a row with every column set and one with a NULL."""
    assert [field.attname for field in Account._meta.concrete_fields] == list(Account.FIELDS)
    accounts = [
        AccountFactory(
            balance=Decimal("1234.50"),
            opened_at=datetime(2025, 7, 1, 12, 30, 5, 123456, tzinfo=UTC),
        ),
        AccountFactory(status="CLOSED", closed_at=datetime(2025, 7, 2, tzinfo=UTC)),
    ]
    for account in accounts:
        read = read_account(account.id)
        orm = Account.objects.get(pk=account.id)
        assert read == orm
        for name in Account.FIELDS:
            mine, theirs = getattr(read, name), getattr(orm, name)
            assert (mine, type(mine)) == (theirs, type(theirs)), name
            assert getattr(mine, "tzinfo", None) == getattr(theirs, "tzinfo", None), name
        assert (read._state.adding, read._state.db) == (orm._state.adding, orm._state.db)
    assert read_account(uuid.uuid4()) is None


def test_a_warm_list_page_is_one_sql_query_and_never_counts():
    client, _ = new_client("lister")
    AccountFactory.create_batch(30, holder="Counted")
    assert client.get("/api/v1/accounts/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/api/v1/accounts/?holder=counted").json()
        second = client.get(first["next"]).json()
    assert len(first["results"]) + len(second["results"]) == 30
    assert len(queries.captured_queries) == 2
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


def revoke_by_deleting_the_token(token: str) -> None:
    sql("DELETE FROM knox_authtoken WHERE digest = %s", hash_token(token))


def revoke_by_deactivating_the_user(token: str) -> None:
    sql(
        "UPDATE auth_user SET is_active = 0 WHERE id = "
        "(SELECT user_id FROM knox_authtoken WHERE digest = %s)",
        hash_token(token),
    )


def revoke_by_removing_the_role(token: str) -> None:
    sql(
        "DELETE FROM auth_user_groups WHERE user_id = "
        "(SELECT user_id FROM knox_authtoken WHERE digest = %s)",
        hash_token(token),
    )


REVOCATIONS = [
    (revoke_by_deleting_the_token, 401),
    (revoke_by_deactivating_the_user, 401),
    (revoke_by_removing_the_role, 403),
]


@pytest.mark.parametrize(("revoke", "status"), REVOCATIONS)
def test_a_client_revoked_elsewhere_stops_within_the_cache_bound(
    revoke: Callable[[str], None], status: int
):
    bound = settings.AUTH_CACHE_SECONDS
    assert 0 < bound <= 5
    client, token = new_client(f"revoked-{status}-{revoke.__name__[10:20]}")
    account = AccountFactory()
    url = f"/api/v1/accounts/{account.id}/"
    assert client.get(url).status_code == 200
    revoked_at = time.monotonic()
    revoke(token)
    wait_until(
        lambda: client.get(url).status_code == status, timeout=bound + MARGIN, what="refusal"
    )
    assert time.monotonic() - revoked_at <= bound + MARGIN


@pytest.mark.parametrize(("revoke", "status"), REVOCATIONS)
def test_without_the_cache_a_revoked_client_stops_at_once(
    revoke: Callable[[str], None], status: int, settings
):
    settings.AUTH_CACHE_SECONDS = 0
    client, token = new_client(f"uncached-{status}-{revoke.__name__[10:20]}")
    account = AccountFactory()
    url = f"/api/v1/accounts/{account.id}/"
    assert client.get(url).status_code == 200
    revoke(token)
    response = client.get(url)
    assert response.status_code == status
    assert response.json()["code"] in {"authentication_failed", "permission_denied"}


def test_a_token_deleted_in_this_process_stops_at_once():
    client, token = new_client("deleted-here")
    account = AccountFactory()
    url = f"/api/v1/accounts/{account.id}/"
    assert client.get(url).status_code == 200
    AuthToken.objects.filter(digest=hash_token(token)).delete()
    response = client.get(url)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_cursor_that_decodes_to_nothing_is_the_first_page():
    client, _ = new_client("cursor-fuzzer")
    response = client.get("/api/v1/accounts/?cursor=%00")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "cursor", ["x", "9" * 5000, "cD0yMDI2LTAxLTAx", "cD14eXo=", "bz0tMSZwPTE="]
)
def test_hostile_cursors_are_a_400(cursor: str):
    client, _ = new_client("cursor-fuzzer")
    response = client.get(f"/api/v1/accounts/?cursor={cursor}")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "invalid_input"
    assert "cursor" in response.json()["errors"]


def test_the_schema_documents_cursor_pages_without_a_count():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    listing = schema["paths"]["/api/v1/accounts/"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"cursor", "page_size"} <= names
    assert "page" not in names
    page = schema["components"]["schemas"]["PaginatedAccountOutputList"]["properties"]
    assert set(page) == {"next", "previous", "results"}


class PlainAccountOutput(serializers.ModelSerializer):
    """DRF's own ModelSerializer of the same fields: what AccountOutput must write."""

    class Meta:
        model = Account
        fields = Account.FIELDS


@pytest.mark.parametrize("zone", ["UTC", "Europe/Lisbon"])
def test_the_fast_account_output_writes_what_drf_writes(zone: str):
    closed = AccountFactory.create(
        status="CLOSED",
        balance=Decimal("0.00"),
        opened_at=datetime(2025, 7, 1, 12, 30, 5, 123456, tzinfo=UTC),
        closed_at=datetime(2025, 7, 2, tzinfo=UTC),
    )
    rows = [AccountFactory.create(balance=Decimal("1234.50")), closed]
    with timezone.override(zone):
        for row in Account.objects.filter(pk__in=[r.pk for r in rows]):
            assert AccountOutput(row).data == PlainAccountOutput(row).data
        as_dicts = Account.objects.filter(pk__in=[r.pk for r in rows]).values(*Account.FIELDS)
        assert (
            AccountOutput(as_dicts, many=True).data
            == PlainAccountOutput(
                Account.objects.filter(pk__in=[r.pk for r in rows]), many=True
            ).data
        )
