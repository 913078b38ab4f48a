"""Transfers under faults: kill -9 of run_transfers, a member lost from a group of two, a frozen
event store, a frozen Kafka, poison on the transfers topic. Each ends with the same invariant
(transfer_rig.assert_invariant); races and hostile requests are in test_transfer_races.py.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from confluent_kafka import Producer
from django.conf import settings

from kernel.kafka_config import producer_config
from tests import wired
from tests.faults.transfer_rig import (
    TransferRig,
    assert_invariant,
    final_count,
    open_accounts,
    request_transfers,
)
from tests.harness.kafka import PrivateKafka
from tests.support import signature, wait_until

pytestmark = pytest.mark.kafka


@pytest.fixture
def broker(transfer_topic: str, private_kafka) -> PrivateKafka:
    """A private Kafka with this test's topics, used by this process and the rig's children."""
    names = (settings.KAFKA_EVENTS_TOPIC, transfer_topic, settings.KAFKA_DEAD_LETTER_TOPIC)
    return private_kafka(dict.fromkeys(names, 3))


def test_kill_9_of_the_process_manager_at_three_random_moments(teller, rig):
    accounts = open_accounts(teller, 10, "500.00")
    ids = request_transfers(teller, accounts, 100, seed=16)
    member = rig.start_member()
    landed = []
    for mark in sorted(random.Random(3).sample(range(5, 80), 3)):
        wait_until(lambda m=mark: final_count(ids) >= m, timeout=120, interval=0.005)
        rig.kill(member)
        landed.append(final_count(ids))
        member = rig.start_member()
    assert landed[0] < len(ids), "the first kill came after the last transfer"
    assert_invariant(accounts, Decimal("5000.00"), ids)


def test_two_members_and_one_killed_mid_batch(teller, rig):
    accounts = open_accounts(teller, 8, "400.00")
    first, _ = rig.start_member(), rig.start_member()
    ids = request_transfers(teller, accounts, 60, seed=17)
    wait_until(lambda: final_count(ids) >= 5, timeout=120, interval=0.005, what="some final")
    rig.kill(first)  # the other member takes its partitions over at the rebalance
    assert_invariant(accounts, Decimal("3200.00"), ids)


FROZEN_SECONDS = 15


def test_the_event_store_frozen_mid_saga(
    transactional_db, ferretdb, teller, transfer_topic, tmp_path
):
    rig = TransferRig(tmp_path, {"KAFKA_TRANSFER_EVENTS_TOPIC": transfer_topic})
    try:
        accounts = open_accounts(teller, 8, "400.00")
        ids = request_transfers(teller, accounts, 40, seed=19)
        rig.start_member()
        wait_until(lambda: final_count(ids) >= 3, timeout=120, interval=0.005, what="some final")
        ferretdb.freeze()
        time.sleep(FROZEN_SECONDS)  # the fault itself: a deliberate wait
        ferretdb.thaw()
        assert_invariant(accounts, Decimal("3200.00"), ids)
    finally:
        rig.stop()


def test_kafka_frozen_mid_saga(transactional_db, event_store_db, teller, broker, tmp_path):
    rig = TransferRig(
        tmp_path, {"KAFKA_TRANSFER_EVENTS_TOPIC": settings.KAFKA_TRANSFER_EVENTS_TOPIC}
    )
    try:
        accounts = open_accounts(teller, 8, "400.00")
        rig.start_member()
        ids = request_transfers(teller, accounts, 40, seed=20)
        wait_until(lambda: final_count(ids) >= 3, timeout=120, interval=0.005, what="some final")
        broker.freeze()
        time.sleep(FROZEN_SECONDS)  # the fault itself: a deliberate wait
        broker.thaw()
        assert wired.publisher().flush(60) == 0
        assert_invariant(accounts, Decimal("3200.00"), ids)
    finally:
        rig.stop()


POISON = [
    (b"not json", b"{"),
    (b"wrong schema", json.dumps({"event_type": "TransferRequested", "schema_version": 9})),
    (str(uuid.uuid4()).encode(), json.dumps({"event_type": "TransferExploded", "version": 1})),
    (b"not-a-uuid", json.dumps({"event_type": "TransferDebited", "aggregate_id": "not-a-uuid"})),
]


def overflowing_amount() -> tuple[bytes, str]:
    transfer = str(uuid.uuid4())
    return transfer.encode(), json.dumps(
        {
            "event_type": "TransferRequested",
            "schema_version": 2,
            "event_id": str(uuid.uuid4()),
            "aggregate_id": transfer,
            "aggregate_type": "Transfer",
            "version": 1,
            "timestamp": datetime.now(UTC).isoformat(),
            "data": {
                "from_account": str(uuid.uuid4()),
                "to_account": str(uuid.uuid4()),
                "amount": "9" * 40,
                "timeout_seconds": 60,
            },
        }
    )


def test_poison_of_every_shape_on_the_transfers_topic_stops_nothing(teller, rig, transfer_topic):
    accounts = open_accounts(teller, 6, "300.00")
    member = rig.start_member()
    producer = Producer(producer_config(settings.KAFKA_BOOTSTRAP_SERVERS))
    for key, value in [*POISON, overflowing_amount()]:
        producer.produce(transfer_topic, key=key, value=value, headers=signature(key, value))
    producer.flush(10)
    ids = request_transfers(teller, accounts, 30, seed=18)
    assert_invariant(accounts, Decimal("1800.00"), ids)
    assert member.poll() is None, "a poison message stopped run_transfers"
    assert "dead-letter" in rig.log.read_text(errors="replace").lower()
