"""The projector against real MySQL: the rows it remembers, and rows written behind its back."""

import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts_query.application.projector import Projector
from apps.accounts_query.domain.account_fold import apply
from apps.accounts_query.domain.event_message import EventMessage, parse
from apps.accounts_query.infrastructure.account_rows import MySqlAccountRows
from apps.accounts_query.models import Account

pytestmark = pytest.mark.django_db(transaction=True)


def stream(account_id: uuid.UUID, deposits: int) -> list[EventMessage]:
    """AccountOpened with 0.00, then `deposits` deposits of 1.00."""

    def event(version: int, event_type: str, **data: str) -> EventMessage:
        return parse(
            {
                "event_type": event_type,
                "schema_version": 1,
                "event_id": str(uuid.uuid4()),
                "aggregate_id": str(account_id),
                "aggregate_type": "BankAccount",
                "version": version,
                "timestamp": f"2026-11-22T10:00:{version:02d}.000+00:00",
                "data": data,
            }
        )

    opened = event(1, "AccountOpened", holder="Ada", account_type="SAVINGS", opening_balance="0")
    return [opened] + [
        event(v, "FundsDeposited", amount="1.00", balance=f"{v - 1}.00")
        for v in range(2, deposits + 2)
    ]


class NoGaps:
    def read_stream(self, *_: object) -> list[EventMessage]:
        raise AssertionError("no gap expected")


rows = MySqlAccountRows()
no_gaps = NoGaps()


def selects(queries: CaptureQueriesContext) -> list[str]:
    # Reads of account rows (the replay epoch is read once per batch, in the same transaction).
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and Account._meta.db_table in q["sql"]
    ]


def test_a_known_account_is_not_read_back_from_mysql():
    account_id = uuid.uuid4()
    events = stream(account_id, 3)
    projector = Projector(rows, no_gaps, remembered_rows=100_000)
    with CaptureQueriesContext(connection) as first:
        projector.project(events[:2])
    with CaptureQueriesContext(connection) as second:
        outcome = projector.project(events[2:])
    assert len(selects(first)) == 1  # an account it had never seen
    assert selects(second) == []
    assert outcome.applied == 2
    assert Account.objects.get(pk=account_id).balance == Decimal("3.00")


def test_after_a_rebalance_it_reads_mysql_again():
    account_id = uuid.uuid4()
    events = stream(account_id, 2)
    projector = Projector(rows, no_gaps, remembered_rows=100_000)
    projector.project(events[:2])
    projector.forget()
    with CaptureQueriesContext(connection) as queries:
        projector.project(events[2:])
    assert len(selects(queries)) == 1


def test_a_newer_row_written_meanwhile_is_kept_and_the_stream_carries_on():
    account_id = uuid.uuid4()
    events = stream(account_id, 5)
    projector = Projector(rows, no_gaps, remembered_rows=100_000)
    projector.project(events[:2])
    # A replay writes version 4 while this worker remembers version 2.
    replayed = None
    for event in events[:4]:
        replayed = apply(replayed, event)
    rows.upsert([replayed])

    outcome = projector.project(events[2:3])  # version 3: older than the row
    assert outcome.applied == 1
    assert Account.objects.get(pk=account_id).version == 4
    projector.project(events[3:])  # versions 4 to 6
    row = Account.objects.get(pk=account_id)
    assert (row.version, row.balance) == (6, Decimal("5.00"))
