"""Commands -> Kafka -> consumer -> statement lines -> GET .../transactions/, re-delivered
through Kafka and replayed from the store: always one line per money movement."""

import threading
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from apps.accounts_query.models import StatementLine
from tests.e2e.conftest import make_consumer
from tests.support import command, open_account, settled_totals, wait_until

pytestmark = pytest.mark.kafka


def entries(client, account_id: str) -> list[dict]:
    response = client.get(f"/api/v1/accounts/{account_id}/transactions/")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def moment(entry: dict) -> datetime:
    return datetime.fromisoformat(entry["timestamp"])


def test_the_statement_follows_the_commands(consumer_thread, teller, auditor):
    account_id = open_account(teller, "Grace Hopper", "100.00")
    assert command(teller, account_id, "deposit", amount="25.50").status_code == 200
    assert command(teller, account_id, "withdraw", amount="5.50").status_code == 200
    assert command(teller, account_id, "withdraw", amount="120.00").status_code == 200
    assert command(teller, account_id, "close").status_code == 200
    wait_until(
        lambda: auditor.get(f"/api/v1/accounts/{account_id}/").json().get("version") == 5,
        what="the account at version 5",
    )
    settled_totals(consumer_thread, applied=5)
    live = entries(auditor, account_id)
    assert [(e["version"], e["type"], e["amount"], e["balance_after"]) for e in live] == [
        (4, "WITHDRAWAL", "120.00", "0.00"),
        (3, "WITHDRAWAL", "5.50", "120.00"),
        (2, "DEPOSIT", "25.50", "125.50"),
        (1, "OPENING", "100.00", "100.00"),
    ]
    # Each line carries its event's time, as the write side's audit log shows it.
    events = teller.get(f"/api/v1/accounts/{account_id}/events/").json()["events"]
    assert [moment(e) for e in reversed(events[:4])] == [moment(e) for e in live]

    # Every event delivered again, to a second consumer group reading from the start.
    again = make_consumer()
    thread = threading.Thread(target=again.run, daemon=True)
    thread.start()
    try:
        assert settled_totals(again, skipped=5)["applied"] == 0
    finally:
        again.stop.set()
        thread.join(30)
    assert StatementLine.objects.filter(account_id=account_id).count() == 4
    assert entries(auditor, account_id) == live

    # Rebuilt from the event store alone: the same statement.
    consumer_thread.stop.set()
    StatementLine.objects.all().delete()
    assert entries(auditor, account_id) == []
    out = StringIO()
    call_command("replay_events", stdout=out, stderr=StringIO())
    assert "replayed 5 events into 1 account(s)" in out.getvalue()
    assert entries(auditor, account_id) == live
    StatementLine.objects.filter(account_id=account_id, version=2).update(amount="0.01")
    call_command("replay_events", "--account", account_id, stdout=StringIO())
    assert entries(auditor, account_id) == live
