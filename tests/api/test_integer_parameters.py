"""Issue 18, item 6 (in part): integers past 64 bits, and values out of their documented range,
are a 400 `invalid_input` on every integer query parameter; never a 500, never a quiet default.
"""

import uuid
from datetime import UTC, datetime

import pytest

from apps.transfers.models import TransferRecord
from tests.factories import AccountFactory
from tests.support import open_account

pytestmark = pytest.mark.django_db

HUGE = [str(2**64), str(2**63), "-" + str(2**64), "9" * 5000]


def refused(client, url: str, field: str) -> None:
    response = client.get(url)
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == "invalid_input", body
    assert field in body["errors"], body


def transfer() -> TransferRecord:
    return TransferRecord.objects.create(
        id=uuid.uuid4(),
        from_account=uuid.uuid4(),
        to_account=uuid.uuid4(),
        amount="1.00",
        status=TransferRecord.Status.COMPLETED,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        version=4,
    )


@pytest.mark.parametrize("value", HUGE)
@pytest.mark.parametrize(
    "path, field",
    [
        ("as-of/?version={v}", "version"),
        ("events/?after={v}", "after"),
        ("events/?limit={v}", "limit"),
    ],
)
def test_write_side_reads_refuse_huge_integers(teller, value, path, field):
    account_id = open_account(teller)
    refused(teller, f"/api/v1/accounts/{account_id}/{path.format(v=value)}", field)


@pytest.mark.parametrize("value", HUGE)
@pytest.mark.parametrize(
    "query, field",
    [("min_version={v}&wait=0", "min_version"), ("min_version=1&wait={v}", "wait")],
)
def test_read_your_writes_refuses_huge_integers(auditor, value, query, field):
    account = AccountFactory()
    refused(auditor, f"/api/v1/accounts/{account.id}/?{query.format(v=value)}", field)
    refused(auditor, f"/api/v1/transfers/{transfer().id}/?{query.format(v=value)}", field)


@pytest.mark.parametrize("wait", ["10.001", "11", "1e30"])
def test_a_wait_past_its_documented_10_seconds_is_refused(auditor, wait):
    account = AccountFactory()
    refused(auditor, f"/api/v1/accounts/{account.id}/?min_version=1&wait={wait}", "wait")


def test_a_wait_of_10_seconds_is_served(auditor):
    account = AccountFactory(version=3)
    response = auditor.get(f"/api/v1/accounts/{account.id}/?min_version=3&wait=10")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("value", ["101", "1000", *HUGE])
def test_a_statement_page_size_past_100_is_refused(auditor, value):
    account = AccountFactory()
    refused(auditor, f"/api/v1/accounts/{account.id}/transactions/?page_size={value}", "page_size")
    refused(auditor, f"/api/v1/transfers/?page_size={value}", "page_size")


def test_a_statement_page_size_of_100_is_served(auditor):
    account = AccountFactory()
    response = auditor.get(f"/api/v1/accounts/{account.id}/transactions/?page_size=100")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("value", ["101", str(2**64), "9" * 5000])
def test_the_account_list_caps_a_larger_page_size_as_documented(auditor, value):
    AccountFactory.create_batch(2)
    response = auditor.get(f"/api/v1/accounts/?page_size={value}")
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == 2


def test_the_account_list_still_refuses_a_negative_page_size(auditor):
    refused(auditor, "/api/v1/accounts/?page_size=-" + str(2**64), "page_size")
