"""GET /api/v1/transfers/: cursor pages in request order, each filter, and the 400s.
Rows are written straight into the read model (the projection has tests of its own)."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from apps.transfers.models import TransferRecord

pytestmark = pytest.mark.django_db
URL = "/api/v1/transfers/"
DAY = datetime(2026, 3, 1, tzinfo=UTC)
A, B, C = (uuid.UUID(int=n) for n in (1, 2, 3))


def row(source, target, at, status="PENDING", **fields) -> TransferRecord:
    return TransferRecord.objects.create(
        id=fields.pop("id", uuid.uuid4()),
        from_account=source,
        to_account=target,
        amount=Decimal("1.00"),
        status=status,
        created_at=at,
        deadline=at + timedelta(seconds=60),
        version=1 if status == "PENDING" else 4,
        **fields,
    )


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [t["id"] for t in response.json()["results"]]


@pytest.fixture
def rows(db):
    """A->B on 1 March 10:00 (COMPLETED), B->C on 1 March 23:59:59.999 (FAILED), C->A on
    2 March 00:00 (PENDING), A->C on 3 March 12:00 (PENDING)."""
    return [
        str(row(A, B, DAY + timedelta(hours=10), "COMPLETED").id),
        str(row(B, C, DAY + timedelta(days=1, milliseconds=-1), "FAILED", reason="x").id),
        str(row(C, A, DAY + timedelta(days=1)).id),
        str(row(A, C, DAY + timedelta(days=2, hours=12)).id),
    ]


def test_pages_follow_the_cursor_in_request_order(auditor):
    # Five share one instant: the id tells them apart, and no page repeats or skips one.
    same = [str(row(A, B, DAY, id=uuid.UUID(int=100 + n)).id) for n in range(5)]
    later = [str(row(A, B, DAY + timedelta(minutes=n + 1)).id) for n in range(20)]
    seen, url, pages = [], f"{URL}?page_size=7", 0
    while url:
        page = auditor.get(url).json()
        seen += [t["id"] for t in page["results"]]
        url, pages = page["next"], pages + 1
    assert (seen, pages) == (same + later, 4)
    assert len(ids(auditor.get(URL))) == 20  # the default page size


def test_the_rows_show_the_transfer(auditor, rows):
    first = auditor.get(URL).json()["results"][0]
    assert first == {
        "id": rows[0],
        "from_account": str(A),
        "to_account": str(B),
        "amount": "1.00",
        "status": "COMPLETED",
        "reason": None,
        "created_at": "2026-03-01T10:00:00Z",
        "completed_at": None,
        "deadline": "2026-03-01T10:01:00Z",
        "version": 4,
    }


@pytest.mark.parametrize(
    "query, wanted",
    [
        ({"account": A}, [0, 2, 3]),  # either side
        ({"account": C, "status": "PENDING"}, [2, 3]),
        ({"status": "FAILED"}, [1]),
        ({"from_account": A}, [0, 3]),
        ({"to_account": A}, [2]),
        ({"from": A}, [0, 3]),  # an account id: the source
        ({"to": C}, [1, 3]),  # the target
        ({"from": B, "to": C}, [1]),
        ({"from": "2026-03-01", "to": "2026-03-01"}, [0, 1]),  # whole UTC days, inclusive
        ({"from": "2026-03-02"}, [2, 3]),
        ({"to": "2026-03-02"}, [0, 1, 2]),
        ({"from": "2026-03-01T10:00:00Z", "to": "2026-03-02T00:00:00Z"}, [0, 1, 2]),
        ({"from": "2026-03-01T11:00:00+01:00"}, [0, 1, 2, 3]),  # 10:00 UTC, inclusive
        ({"from": "2026-03-01T11:00:00 01:00"}, [0, 1, 2, 3]),  # "+" unencoded in a URL
        ({"to": "2026-03-01T09:59:59.999Z"}, []),
        ({"from": "2026-03-01", "to": C, "account": B}, [1]),
        ({"from": "9999-12-31"}, []),
        ({"to": "9999-12-31"}, [0, 1, 2, 3]),
    ],
)
def test_filters(auditor, rows, query, wanted):
    assert ids(auditor.get(URL, query)) == [rows[n] for n in wanted]


@pytest.mark.parametrize(
    "query, field",
    [
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "abc"}, "page_size"),
        ({"page_size": "9" * 5000}, "page_size"),
        ({"status": "pending"}, "status"),
        ({"status": "CANCELLED"}, "status"),
        ({"account": "not-a-uuid"}, "account"),
        ({"from_account": "1"}, "from_account"),
        ({"from": "2026-02-30"}, "from"),
        ({"from": "yesterday"}, "from"),
        ({"from": "2026-03-01T10:00:00"}, "from"),  # no zone
        ({"to": "0001-01-01T00:00:00+01:00"}, "to"),  # out of datetime's range
        ({"from": "9999-12-31T23:59:59-05:00"}, "from"),  # past datetime's range in UTC
        ({"from": "0999-12-31"}, "from"),  # before MySQL's
        ({"from": "2026-03-02", "to": "2026-03-01"}, "to"),
    ],
)
def test_bad_parameters_are_400(auditor, query, field):
    response = auditor.get(URL, query)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_input"
    assert field in response.json()["errors"]


def test_a_forged_cursor_is_a_json_400(auditor):
    response = auditor.get(URL, {"cursor": "cD1ub3QtYS10aW1l"})  # p=not-a-time
    assert (response.status_code, response.json()["code"]) == (400, "invalid_input")
    assert "cursor" in response.json()["errors"]


def test_tellers_and_auditors_read(teller, auditor, client, rows):
    assert len(ids(teller.get(URL))) == len(ids(auditor.get(URL))) == 4
    assert client.get(URL).status_code == 401
