"""Poison messages go to the dead-letter topic; a gap in a stream is filled from the store."""

import json
import uuid
from decimal import Decimal

import pytest
from confluent_kafka import Consumer, Message, Producer
from django.conf import settings

from apps.accounts_command.domain.commands import DepositFunds, OpenAccount, WithdrawFunds
from apps.accounts_query.models import Account
from apps.contract.signing import keyring
from apps.eventstore import wire
from kernel.kafka_config import consumer_config, producer_config
from tests import wired
from tests.support import settled_totals, signature, wait_until

pytestmark = pytest.mark.kafka

POISON = [
    b"this is not json",
    json.dumps({"event_type": "AccountRenamed", "version": 1, "data": {}}).encode(),
    json.dumps(
        {
            "event_type": "FundsDeposited",
            "schema_version": 1,
            "event_id": str(uuid.uuid4()),
            "aggregate_id": str(uuid.uuid4()),
            "version": 2,
            "timestamp": "2026-01-01T00:00:00+00:00",
            "data": {"amount": 1.5, "balance": "NaN"},
        }
    ).encode(),
]


def read_dead_letters(count: int) -> list:
    consumer = Consumer(
        consumer_config(settings.KAFKA_BOOTSTRAP_SERVERS, f"test-dlq-{uuid.uuid4().hex[:8]}")
    )
    consumer.subscribe([settings.KAFKA_DEAD_LETTER_TOPIC])
    found: list[Message] = []

    def enough() -> bool:
        found.extend(m for m in consumer.consume(10, 0.5) if not m.error())
        return len(found) >= count

    try:
        wait_until(
            enough,
            timeout=30,
            what=f"{count} dead letters",
        )
    finally:
        consumer.close()
    return found


def test_poison_goes_to_the_dead_letter_topic_and_the_worker_goes_on(
    consumer_thread, event_store_db
):
    producer = Producer(producer_config(settings.KAFKA_BOOTSTRAP_SERVERS))
    for value in POISON:
        producer.produce(
            settings.KAFKA_EVENTS_TOPIC,
            key=b"poison",
            value=value,
            headers=signature(b"poison", value),
        )
    assert producer.flush(10) == 0
    dispatcher, store = wired.unpublished()
    good = dispatcher.dispatch(OpenAccount("After Poison", "SAVINGS", Decimal("1")))
    stored = store.get(str(good.account_id), 1)
    key, value, headers = wire.outgoing(stored, keyring(settings))
    producer.produce(settings.KAFKA_EVENTS_TOPIC, key=key, value=value, headers=headers)
    assert producer.flush(10) == 0

    wait_until(
        lambda: Account.objects.filter(pk=good.account_id).exists(),
        what="the good event after the poison",
    )
    letters = read_dead_letters(len(POISON))
    assert sorted(m.value() for m in letters) == sorted(POISON)
    reasons = [dict(m.headers())["error"].decode() for m in letters]
    assert any("undecodable JSON" in r for r in reasons)
    assert any("unknown event type 'AccountRenamed'" in r for r in reasons)
    assert any("invalid amount" in r or "invalid balance" in r for r in reasons)
    assert settled_totals(consumer_thread, dead_lettered=len(POISON))["dead_lettered"] == len(
        POISON
    )


def test_a_gap_is_filled_from_the_event_store(consumer_thread, event_store_db):
    dispatcher, store = wired.unpublished()
    account_id = dispatcher.dispatch(OpenAccount("Gap", "CURRENT", Decimal("10"))).account_id
    dispatcher.dispatch(DepositFunds(account_id, Decimal("5")))
    dispatcher.dispatch(WithdrawFunds(account_id, Decimal("3")))
    # Only version 3 reaches Kafka; versions 1 and 2 are "still on their way".
    latest = store.get(str(account_id), 3)
    producer = Producer(producer_config(settings.KAFKA_BOOTSTRAP_SERVERS))
    key, value, headers = wire.outgoing(latest, keyring(settings))
    producer.produce(settings.KAFKA_EVENTS_TOPIC, key=key, value=value, headers=headers)
    assert producer.flush(10) == 0

    row = wait_until(
        lambda: Account.objects.filter(pk=account_id, version=3).first(),
        what="version 3 applied after filling the gap",
    )
    assert row.balance == Decimal("12.00")
    assert settled_totals(consumer_thread, gap_filled=2)["gap_filled"] == 2
