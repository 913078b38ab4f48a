"""Transfers under faults: kill -9 of run_transfers, a member lost from a group of two, a frozen
event store, a frozen Kafka, poison on the transfers topic, hostile requests and races, and a
credit that comes too late. Each ends with the same invariant (transfer_rig.assert_invariant).
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from confluent_kafka import Producer
from django.conf import settings

from apps.transfers.models import TransferRecord
from kernel.kafka_config import producer_config
from tests import wired
from tests.conftest import create_topics
from tests.e2e.private_kafka import PrivateKafka, serving
from tests.faults.test_ferretdb_frozen import ferretdb  # noqa: F401  (a fixture)
from tests.faults.transfer_rig import (
    TIMEOUT_SECONDS,
    TransferRig,
    assert_invariant,
    final_count,
    request_transfers,
    wait_all_final,
)
from tests.support import command, open_account, wait_until

pytestmark = pytest.mark.kafka


@pytest.fixture
def transfer_topic(kafka_topic: str) -> Iterator[str]:
    """A transfers topic of this test's own, next to kafka_topic's account-events topic."""
    from confluent_kafka.admin import NewTopic

    name = f"{kafka_topic}.transfers"
    create_topics(NewTopic(name, 3, 1))
    old = settings.KAFKA_TRANSFER_EVENTS_TOPIC, settings.TRANSFER_TIMEOUT_SECONDS
    settings.KAFKA_TRANSFER_EVENTS_TOPIC = name
    settings.TRANSFER_TIMEOUT_SECONDS = TIMEOUT_SECONDS  # the web side, in this process
    wired.rewire(events_topic=kafka_topic)
    yield name
    wired.publisher().flush(10)
    settings.KAFKA_TRANSFER_EVENTS_TOPIC, settings.TRANSFER_TIMEOUT_SECONDS = old
    wired.rewire(events_topic=kafka_topic)


@pytest.fixture
def rig(transactional_db, event_store_db, transfer_topic, tmp_path) -> Iterator[TransferRig]:
    running = TransferRig(tmp_path, {"KAFKA_TRANSFER_EVENTS_TOPIC": transfer_topic})
    yield running
    running.stop()


@pytest.fixture
def broker(transfer_topic: str, tmp_path) -> Iterator[PrivateKafka]:
    """A private Kafka with this test's topics, used by this process and the rig's children."""
    names = (settings.KAFKA_EVENTS_TOPIC, transfer_topic, settings.KAFKA_DEAD_LETTER_TOPIC)
    with serving(tmp_path / "kafka", dict.fromkeys(names, 3)) as kafka:
        yield kafka


def open_accounts(teller, count: int, balance: str) -> list[str]:
    return [open_account(teller, f"holder {n}", balance) for n in range(count)]


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
    transactional_db,
    ferretdb,  # noqa: F811
    teller,
    transfer_topic,
    tmp_path,
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
        (node,) = broker.nodes
        os.kill(broker.pid(node), signal.SIGSTOP)
        time.sleep(FROZEN_SECONDS)  # the fault itself: a deliberate wait
        os.kill(broker.pid(node), signal.SIGCONT)
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
        producer.produce(transfer_topic, key=key, value=value)
    producer.flush(10)
    ids = request_transfers(teller, accounts, 30, seed=18)
    assert_invariant(accounts, Decimal("1800.00"), ids)
    assert member.poll() is None, "a poison message stopped run_transfers"
    assert "dead-letter" in rig.log.read_text(errors="replace").lower()


def test_requests_naming_a_transfer_a_closed_account_or_racing_a_close(teller, rig):
    source, target, closed, racer = open_accounts(teller, 4, "100.00")
    rig.start_member()
    first = request_transfers(teller, [source, target], 1, seed=1)
    wait_all_final(first)
    for body in (
        {"from_account": first[0], "to_account": target, "amount": "20.00"},
        {"from_account": source, "to_account": first[0], "amount": "20.00"},
    ):
        refused = teller.post("/api/v1/transfers/", body, format="json")
        assert refused.status_code == 404, refused.content
        assert refused.json()["code"] == "account_not_found"
    assert command(teller, closed, "withdraw", amount="100.00").status_code == 200
    assert command(teller, closed, "close").status_code == 200
    to_closed = teller.post(
        "/api/v1/transfers/",
        {"from_account": source, "to_account": closed, "amount": "10.00"},
        format="json",
    )
    assert to_closed.status_code == 202, to_closed.content
    # A close of the source while its whole balance is on its way out: refused until over.
    moving = teller.post(
        "/api/v1/transfers/",
        {"from_account": racer, "to_account": target, "amount": "100.00"},
        format="json",
    )
    answers: list[str] = []
    while not TransferRecord.objects.filter(id=moving.json()["id"]).exclude(status="PENDING"):
        answers.append(command(teller, racer, "close").json().get("code", "closed"))
        if answers[-1] == "closed":
            break
    ids = [first[0], to_closed.json()["id"], moving.json()["id"]]
    wait_all_final(ids)
    assert TransferRecord.objects.get(id=ids[1]).reason == "account_closed"
    assert set(answers) <= {"balance_not_zero", "transfer_in_flight", "closed"}, answers
    if "closed" in answers:  # only once the transfer was over, its money gone to the target
        assert TransferRecord.objects.get(id=ids[2]).status == "COMPLETED"
    accounts = [source, target, closed, racer]
    assert_invariant(accounts, Decimal("300.00"), ids)


def test_deposits_racing_a_refund_at_the_ceiling(teller, rig):
    from apps.accounts_command.domain.commands import DepositFunds
    from apps.accounts_command.domain.money import MAX_BALANCE

    source, target = open_accounts(teller, 2, "100.00")
    commands = wired.command_dispatcher()
    largest = Decimal("999999999.99")
    # The target is too full to take the credit: the transfer is refunded.
    left = MAX_BALANCE - Decimal("100.00") - Decimal("50.00")
    while left > 0:
        commands.dispatch(DepositFunds(uuid.UUID(target), min(left, largest)))
        left -= min(left, largest)
    ids = request_transfers(teller, [source, target], 0, seed=0)
    moving = teller.post(
        "/api/v1/transfers/",
        {"from_account": source, "to_account": target, "amount": "100.00"},
        format="json",
    ).json()["id"]
    rig.start_member()
    deposited = Decimal("0.00")
    # Deposits into the source race the refund; they may fill it only up to the room it keeps.
    while not TransferRecord.objects.filter(id=moving).exclude(status="PENDING").exists():
        answer = command(teller, source, "deposit", amount="999999999.99")
        if answer.status_code == 200:
            deposited += largest
        else:
            assert answer.json()["code"] == "balance_limit_exceeded", answer.content
            break
    ids.append(moving)
    wait_all_final(ids)
    assert TransferRecord.objects.get(id=moving).reason == "balance_limit_exceeded"
    total = MAX_BALANCE - Decimal("50.00") + Decimal("100.00") + deposited
    assert_invariant([source, target], total, ids)


def test_a_credit_that_comes_too_late_gives_the_source_its_money_back(teller, rig):
    from apps.transfers import bootstrap as transfers

    source, target = open_accounts(teller, 2, "100.00")
    moving = teller.post(
        "/api/v1/transfers/",
        {"from_account": source, "to_account": target, "amount": "40.00"},
        format="json",
    ).json()
    # This process takes the first step (the debit) and then nobody takes the next in time: no
    # member runs until the deadline has passed.
    manager = transfers.process_manager(wired.get().event_store, wired.command_dispatcher())
    manager.react(uuid.UUID(moving["id"]))
    assert command(teller, source, "close").json()["code"] == "transfer_in_flight"
    deadline = datetime.fromisoformat(moving["deadline"].replace("Z", "+00:00"))
    wait_until(lambda: datetime.now(UTC) > deadline, timeout=TIMEOUT_SECONDS + 5, interval=0.2)
    rig.start_member()
    wait_all_final([moving["id"]])
    record = TransferRecord.objects.get(id=moving["id"])
    assert (record.status, record.reason) == ("FAILED", "timed_out"), record
    assert_invariant([source, target], Decimal("200.00"), [moving["id"]])
