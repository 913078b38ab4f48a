"""`manage.py load_demo` on this run's own store and topics, read back from the store, from the
read side a real consumer projects, and from the dead-letter topic."""

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from confluent_kafka import Consumer
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Sum

from apps.accounts_query.models import Account, StatementLine
from apps.messaging import dead_letters
from kernel.kafka_config import consumer_config
from tests import wired
from tests.support import settled_totals, wait_until

pytestmark = pytest.mark.kafka

ACCOUNTS = 12


@pytest.fixture
def demo_out(consumer_thread, event_store_db, swapped_settings):
    # A group of this test's own: another checkout's run_transfers must not make it refuse.
    swapped_settings(TRANSFERS_CONSUMER_GROUP=f"test-demo-{uuid.uuid4().hex[:8]}")
    out = StringIO()
    call_command(
        "load_demo", "--seed", "7", "--accounts", str(ACCOUNTS), stdout=out, stderr=StringIO()
    )
    return out.getvalue()


def stored_events() -> list:
    return [e for batch in wired.event_store().scan(500) for e in batch]


def test_the_demo_is_a_year_of_real_events_the_read_side_shows(demo_out, consumer_thread):
    assert f"load_demo: {ACCOUNTS} accounts opened (1 closed)" in demo_out
    events = stored_events()
    accounts = [e for e in events if e.aggregate_type == "BankAccount"]
    kinds = Counter(e.event_type for e in accounts)
    assert len({e.aggregate_id for e in accounts}) == kinds["AccountOpened"] == ACCOUNTS
    assert kinds["AccountClosed"] == 1
    assert kinds["FundsDeposited"] > ACCOUNTS and kinds["FundsWithdrawn"] > ACCOUNTS
    transfers = Counter(e.event_type for e in events if e.aggregate_type == "Transfer")
    assert transfers["TransferCompleted"] >= 1 and transfers["TransferFailed"] == 1
    assert {e.metadata.get("actor") for e in events} == {"system:load_demo"}

    # Dated over the past year, UTC, spread over many months.
    now = datetime.now(UTC)
    stamps = [e.timestamp for e in events]
    assert all(s.tzinfo is not None and s.utcoffset() == timedelta(0) for s in stamps)
    assert now - timedelta(days=366) < min(stamps) and max(stamps) < now
    assert len({(s.year, s.month) for s in stamps}) >= 10

    # The money: what was opened with and deposited, less what was withdrawn, is what the
    # accounts hold (transfers move it between them).
    def total(event_type: str, field: str) -> Decimal:
        found = (Decimal(e.data[field]) for e in accounts if e.event_type == event_type)
        return sum(found, Decimal(0))

    expected = (
        total("AccountOpened", "opening_balance")
        + total("FundsDeposited", "amount")
        - total("FundsWithdrawn", "amount")
    )
    versions = len(accounts)
    wait_until(
        lambda: Account.objects.aggregate(v=Sum("version"))["v"] == versions,
        what="the read side to project every account event",
    )
    assert Account.objects.count() == ACCOUNTS
    assert Account.objects.aggregate(b=Sum("balance"))["b"] == expected
    assert Account.objects.filter(status="CLOSED").count() == 1
    lines = StatementLine.objects.all()
    assert len({(line.timestamp.year, line.timestamp.month) for line in lines}) >= 10
    assert lines.filter(type="TRANSFER_IN").exists()

    # The poison message, dead-lettered by the consumer.
    settled_totals(consumer_thread, dead_lettered=1)
    [letter] = dead_letters.read(settings.KAFKA_BOOTSTRAP_SERVERS, settings.KAFKA_DEAD_LETTER_TOPIC)
    assert letter.summary()["event_type"] == "AccountFrozen"
    assert "AccountFrozen" in letter.reason


def test_it_refuses_a_store_that_holds_events(demo_out):
    before = len(stored_events())
    with pytest.raises(CommandError, match="already holds events"):
        call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    # --force adds a demo, but not one whose accounts are there: nothing is recorded.
    with pytest.raises(
        CommandError, match=r"12 of the demo's accounts \(seed 7\) are in the store"
    ):
        call_command("load_demo", "--seed", "7", "--force", stdout=StringIO(), stderr=StringIO())
    assert len(stored_events()) == before


def test_it_refuses_while_run_transfers_runs(event_store_db, swapped_settings):
    """A member in run_transfers' group would react to the demo's old transfers with today's
    clock: the demo waits for none, it refuses and records nothing."""
    group = f"test-demo-{uuid.uuid4().hex[:8]}"
    swapped_settings(TRANSFERS_CONSUMER_GROUP=group)
    member = Consumer(consumer_config(settings.KAFKA_BOOTSTRAP_SERVERS, group))
    try:
        member.subscribe([settings.KAFKA_TRANSFER_EVENTS_TOPIC])
        # Joined once assigned (whatever the poll returns: the topic holds earlier tests' events).
        wait_until(lambda: member.poll(0.2) is not False and member.assignment(), what="a member")
        with pytest.raises(CommandError, match=f"run_transfers is running .*{group}"):
            call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    finally:
        member.close()
    assert stored_events() == []


def test_replay_progress_reaches_the_whole_store(demo_out, consumer_thread):
    """The store holds transfer events too: the replay passes over them, and counts them done."""
    consumer_thread.stop.set()
    err = StringIO()
    call_command("replay_events", stdout=StringIO(), stderr=err)
    total = len(stored_events())
    assert err.getvalue().splitlines()[-1].startswith(f"replay: {total:,}/{total:,} events (100%)")
