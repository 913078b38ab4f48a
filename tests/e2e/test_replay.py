"""replay_events rebuilds, from the event store alone, exactly what live consumption built."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.accounts_command.domain.commands import (
    CloseAccount,
    DepositFunds,
    OpenAccount,
    WithdrawFunds,
)
from apps.accounts_query.application.replay import Replay
from apps.accounts_query.bootstrap import event_source
from apps.accounts_query.infrastructure.account_rows import MySqlAccountRows
from apps.accounts_query.infrastructure.statement_lines import MySqlStatementLines
from apps.accounts_query.models import Account
from tests.support import wait_until
from tests.wired import command_dispatcher

pytestmark = pytest.mark.kafka


def populate(count: int) -> list[uuid.UUID]:
    dispatcher = command_dispatcher()
    ids = []
    for n in range(count):
        account_id = dispatcher.dispatch(
            OpenAccount(f"Holder {n}", "CURRENT" if n % 2 else "SAVINGS", Decimal(n))
        ).account_id
        dispatcher.dispatch(DepositFunds(account_id, Decimal("10.10")))
        if n % 3 == 0:
            dispatcher.dispatch(WithdrawFunds(account_id, Decimal(n) + Decimal("10.10")))
            dispatcher.dispatch(CloseAccount(account_id))
        ids.append(account_id)
    return ids


def snapshot() -> list[tuple]:
    return list(Account.objects.order_by("id").values_list(*Account.FIELDS))


def test_replay_reproduces_the_live_read_models_row_for_row(consumer_thread, event_store_db):
    ids = populate(12)
    # Four accounts (n = 0, 3, 6, 9) have 4 events, the other eight have 2.
    wait_until(
        lambda: sum(Account.objects.values_list("version", flat=True)) == 32,
        what="all 32 live events applied",
    )
    consumer_thread.stop.set()
    live = snapshot()
    assert len(live) == 12

    # Damage the read database every way it can be damaged.
    Account.objects.filter(pk=ids[0]).delete()
    Account.objects.filter(pk=ids[1]).update(balance=Decimal("999.99"), version=1)
    Account.objects.create(
        id=uuid.uuid4(),
        holder="Not in the store",
        account_type="SAVINGS",
        balance=1,
        status="OPEN",
        opened_at=datetime.now(UTC),
        version=1,
        updated_at=datetime.now(UTC),
    )
    out = StringIO()
    call_command("replay_events", "--batch-size", "7", stdout=out, stderr=StringIO())
    assert snapshot() == live
    assert "replayed 32 events into 12 account(s)" in out.getvalue()
    assert "1 unknown row(s) removed" in out.getvalue()

    # Rows written in several rounds, batches read ahead: the same rows.
    Account.objects.all().delete()
    result = Replay(
        MySqlAccountRows(), event_source(), MySqlStatementLines(), batch_size=3, write_every=5
    ).all()
    assert (result.events, result.accounts) == (32, 12)
    assert snapshot() == live


def test_replay_of_one_account(consumer_thread, event_store_db):
    ids = populate(2)
    wait_until(lambda: Account.objects.filter(pk=ids[1], version=2).exists(), what="live rows")
    consumer_thread.stop.set()
    live = snapshot()
    Account.objects.filter(pk=ids[1]).delete()
    call_command("replay_events", "--account", str(ids[1]), stdout=StringIO())
    assert snapshot() == live


def test_replay_refuses_a_malformed_account_id(db):
    with pytest.raises(CommandError, match="not a UUID"):
        call_command("replay_events", "--account", "nope")
