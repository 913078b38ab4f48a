"""Kafka down: commands still succeed; Kafka back: every event arrives; a replay agrees."""

import threading
from decimal import Decimal

import pytest
from django.conf import settings

from apps.accounts_query.bootstrap import replay
from apps.accounts_query.models import Account
from apps.eventstore.documents import PendingPublication
from tests import wired
from tests.e2e.conftest import make_consumer
from tests.support import command, open_account, wait_until

pytestmark = pytest.mark.kafka


@pytest.fixture
def broker(private_kafka):
    return private_kafka({settings.KAFKA_EVENTS_TOPIC: 3, settings.KAFKA_DEAD_LETTER_TOPIC: 1})


def rows() -> list[tuple]:
    return list(Account.objects.order_by("id").values_list(*Account.FIELDS))


def test_commands_succeed_while_kafka_is_down_and_all_events_arrive_later(
    transactional_db, teller, broker
):
    before = open_account(teller, "Before Outage", "50.00")
    broker.stop()

    during = open_account(teller, "During Outage", "20.00")
    for account_id in (before, during):
        assert command(teller, account_id, "deposit", amount="5.00").status_code == 200
        assert command(teller, account_id, "withdraw", amount="1.25").status_code == 200
    assert command(teller, during, "withdraw", amount="23.75").status_code == 200
    assert command(teller, during, "close").status_code == 200
    assert PendingPublication._get_collection().count_documents({}) >= 5

    broker.start()
    consumer = make_consumer()
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    relay = wired.relay(grace_seconds=0)
    try:

        def caught_up() -> bool:
            relay.run_once(flush_timeout=5)
            versions = Account.objects.filter(pk__in=[before, during]).values_list(
                "version", flat=True
            )
            return sorted(versions) == [3, 5]

        wait_until(caught_up, timeout=120, interval=0.5, what="every event after the outage")
    finally:
        consumer.stop.set()
        thread.join(30)

    assert Account.objects.get(pk=before).balance == Decimal("53.75")
    closed = Account.objects.get(pk=during)
    assert (closed.balance, closed.status) == (Decimal("0.00"), "CLOSED")
    live = rows()
    Account.objects.all().delete()
    replay(batch_size=3).all()
    assert rows() == live
