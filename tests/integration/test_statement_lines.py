"""Statement lines on real MySQL, from real events of the real event store: written with the
account rows or not at all, once per event however often it comes, rebuilt exactly by replay."""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from apps.accounts_command.domain.commands import (
    CloseAccount,
    DepositFunds,
    OpenAccount,
    WithdrawFunds,
)
from apps.accounts_query.application.projector import Projector
from apps.accounts_query.application.replay import Replay
from apps.accounts_query.bootstrap import event_source
from apps.accounts_query.domain.event_message import EventMessage
from apps.accounts_query.domain.statement import StatementEntry, statement_entry
from apps.accounts_query.infrastructure.account_rows import MySqlAccountRows
from apps.accounts_query.infrastructure.statement_lines import MySqlStatementLines
from apps.accounts_query.models import Account, StatementLine
from tests.wired import command_dispatcher

pytestmark = pytest.mark.django_db(transaction=True)

rows = MySqlAccountRows()
lines = MySqlStatementLines()


def history(holder: str = "Ada") -> list[EventMessage]:
    """Opened with 100.00, +25.50, -125.50, closed: four events, three money movements."""
    dispatch = command_dispatcher().dispatch
    account_id = dispatch(OpenAccount(holder, "SAVINGS", Decimal("100.00"))).account_id
    dispatch(DepositFunds(account_id, Decimal("25.50")))
    dispatch(WithdrawFunds(account_id, Decimal("125.50")))
    dispatch(CloseAccount(account_id))
    events = event_source().read_stream(account_id)
    assert [e.version for e in events] == [1, 2, 3, 4]
    return events


def statement(account_id: uuid.UUID | None = None) -> list[tuple]:
    found = StatementLine.objects.order_by("account_id", "version")
    if account_id is not None:
        found = found.filter(account_id=account_id)
    return list(found.values_list("account_id", *StatementEntry._fields[1:]))


def projector() -> Projector:
    return Projector(rows, event_source(), lines, remembered_rows=100_000)


def test_each_money_movement_becomes_one_line(event_store_db):
    events = history()
    projector().project(events)
    account_id = events[0].aggregate_id
    assert statement(account_id) == [
        (account_id, 1, "OPENING", Decimal("100.00"), Decimal("100.00"), events[0].timestamp, None),
        (account_id, 2, "DEPOSIT", Decimal("25.50"), Decimal("125.50"), events[1].timestamp, None),
        (
            account_id,
            3,
            "WITHDRAWAL",
            Decimal("125.50"),
            Decimal("0.00"),
            events[2].timestamp,
            None,
        ),
    ]
    assert Account.objects.get(pk=account_id).version == 4  # AccountClosed: a row, no line


def test_a_redelivered_event_never_adds_a_second_line(event_store_db):
    events = history()
    first = projector()
    first.project(events[:3])
    once = statement()
    assert len(once) == 3
    first.project(events[1:3])  # re-delivered to the same worker: skipped by version
    again = projector()  # another worker, which remembers nothing: reads the row from MySQL
    outcome = again.project(events)
    assert (outcome.skipped, outcome.applied) == (3, 1)
    assert statement() == once
    # Even written again behind the version check, a line at its version stays one line.
    lines.add([e for e in map(statement_entry, events) if e is not None])
    assert statement() == once


class FailingAfterWrite(MySqlStatementLines):
    """Writes the lines for real, then fails: the batch's transaction must take both back."""

    def add(self, entries: Sequence[StatementEntry]) -> None:
        super().add(entries)
        assert StatementLine.objects.count() == len(entries)  # they were written
        raise RuntimeError("the worker died mid-batch")


def test_a_rolled_back_batch_adds_no_line_and_no_row(event_store_db):
    events = history()
    with pytest.raises(RuntimeError, match="mid-batch"):
        Projector(rows, event_source(), FailingAfterWrite(), 100_000).project(events)
    assert statement() == []
    assert not Account.objects.exists()
    projector().project(events)  # the same batch again, delivered once more
    assert len(statement()) == 3


def test_events_filled_in_from_the_store_get_their_lines(event_store_db):
    events = history()
    outcome = projector().project([events[0], events[3]])  # 2 and 3 are still on their way
    assert outcome.gap_filled == 2
    assert [line[1] for line in statement()] == [1, 2, 3]


def test_replay_rebuilds_the_lines_exactly(event_store_db):
    ada, bob = history("Ada"), history("Bob")
    projector().project(ada + bob)
    live = statement()
    assert len(live) == 6
    ada_id, bob_id = ada[0].aggregate_id, bob[0].aggregate_id

    # Damage the statement every way it can be damaged.
    StatementLine.objects.filter(account_id=ada_id, version=2).delete()
    StatementLine.objects.filter(account_id=bob_id, version=1).update(amount=Decimal("9.99"))
    stranger = uuid.uuid4()
    now = datetime.now(UTC)
    for account_id, version in ((ada_id, 4), (bob_id, 9), (stranger, 1)):
        StatementLine.objects.create(
            account_id=account_id,
            version=version,
            type="DEPOSIT",
            amount=1,
            balance_after=1,
            timestamp=now,
        )
    assert statement() != live

    result = Replay(rows, event_source(), lines, batch_size=3, write_every=5).all()
    assert (result.events, result.accounts, result.lines_removed) == (8, 2, 2)
    assert statement() == live

    # One account: its lines rebuilt, the other's untouched.
    StatementLine.objects.filter(account_id=bob_id, version=3).delete()
    StatementLine.objects.filter(account_id=bob_id, version=2).update(type="WITHDRAWAL")
    StatementLine.objects.create(
        account_id=bob_id, version=7, type="DEPOSIT", amount=1, balance_after=1, timestamp=now
    )
    Replay(rows, event_source(), lines, 2000, 20_000).account(bob_id)
    assert statement() == live

    # An account the store does not know: replaying it removes its row and its lines.
    StatementLine.objects.create(
        account_id=stranger, version=1, type="OPENING", amount=1, balance_after=1, timestamp=now
    )
    result = Replay(rows, event_source(), lines, 2000, 20_000).account(stranger)
    assert result.lines_removed == 1
    assert statement() == live
