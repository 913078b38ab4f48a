"""Command -> event store -> Kafka -> consumer -> MySQL read model -> query API."""

import pytest

from tests.support import command, open_account, settled_totals, wait_until

pytestmark = pytest.mark.kafka


def account_at(client, account_id, version):
    response = client.get(f"/api/v1/accounts/{account_id}/")
    return (
        response.json()
        if response.status_code == 200 and response.json()["version"] == version
        else None
    )


def test_every_command_reaches_the_query_api(consumer_thread, teller, auditor):
    account_id = open_account(teller, "Grace Hopper", "100.00", "CURRENT")
    assert command(teller, account_id, "deposit", amount="25.50").status_code == 200
    assert command(teller, account_id, "withdraw", amount="125.50").status_code == 200
    assert command(teller, account_id, "close").status_code == 200

    seen = wait_until(lambda: account_at(auditor, account_id, 4), what="version 4 in MySQL")
    assert seen["holder"] == "Grace Hopper"
    assert seen["account_type"] == "CURRENT"
    assert seen["balance"] == "0.00"
    assert seen["status"] == "CLOSED"
    assert seen["closed_at"] is not None
    # The audit log on the write side and the read model agree on the history's length.
    events = teller.get(f"/api/v1/accounts/{account_id}/events/").json()["events"]
    assert [e["event_type"] for e in events] == [
        "AccountOpened",
        "FundsDeposited",
        "FundsWithdrawn",
        "AccountClosed",
    ]
    assert settled_totals(consumer_thread, applied=4)["applied"] == 4


def test_a_refused_command_changes_nothing_on_the_read_side(consumer_thread, teller, auditor):
    account_id = open_account(teller, balance="10.00")
    assert command(teller, account_id, "withdraw", amount="10.01").status_code == 422
    assert command(teller, account_id, "deposit", amount="1.00").status_code == 200
    seen = wait_until(lambda: account_at(auditor, account_id, 2), what="version 2")
    assert seen["balance"] == "11.00"
