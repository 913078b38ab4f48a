"""An event stored but never acknowledged by Kafka reaches the read model, exactly once."""

from decimal import Decimal

import pytest

from apps.accounts_command.domain.commands import DepositFunds, OpenAccount
from apps.accounts_query.models import Account
from apps.eventstore.documents import PendingPublication
from tests import wired
from tests.support import settled_totals, wait_until

pytestmark = pytest.mark.kafka


def pending() -> int:
    return PendingPublication._get_collection().count_documents({})


def test_unacknowledged_events_are_relayed_once(consumer_thread, event_store_db):
    # As if the web process died between the append and the publish: no publisher at all.
    crashed_web, _ = wired.unpublished()
    account_id = crashed_web.dispatch(
        OpenAccount("Alan Turing", "SAVINGS", Decimal("5"))
    ).account_id
    crashed_web.dispatch(DepositFunds(account_id, Decimal("7.25")))
    assert pending() == 2
    assert not Account.objects.filter(pk=account_id).exists()

    relay = wired.relay(grace_seconds=0)
    assert relay.run_once() == 2
    wait_until(lambda: pending() == 0, what="acknowledgements to clear the markers")
    row = wait_until(
        lambda: Account.objects.filter(pk=account_id, version=2).first(),
        what="the relayed events in MySQL",
    )
    assert row.balance == Decimal("12.25")
    # Nothing left to send: a second pass publishes nothing, and nothing was applied twice.
    assert relay.run_once() == 0
    totals = settled_totals(consumer_thread, applied=2)
    assert (totals["applied"], totals["skipped"]) == (2, 0)


def test_the_relay_waits_for_the_grace_period(event_store_db):
    crashed_web, _ = wired.unpublished()
    crashed_web.dispatch(OpenAccount("Barbara Liskov", "CURRENT", Decimal("1")))
    assert wired.relay(grace_seconds=3600).run_once() == 0
    assert pending() == 1


def test_a_duplicate_delivery_is_skipped(consumer_thread, event_store_db):
    dispatcher = wired.command_dispatcher()
    account_id = dispatcher.dispatch(
        OpenAccount("Edsger Dijkstra", "SAVINGS", Decimal("3"))
    ).account_id
    wait_until(lambda: Account.objects.filter(pk=account_id).exists(), what="the account row")
    # Publish the same stored event again, as a relay racing the web process would.
    store, publisher = wired.event_store(), wired.publisher()
    publisher.publish(store.get(str(account_id), 1), lambda: None)
    publisher.flush(10)
    wait_until(lambda: consumer_thread.totals["skipped"] == 1, what="the duplicate to be skipped")
    assert Account.objects.get(pk=account_id).version == 1
