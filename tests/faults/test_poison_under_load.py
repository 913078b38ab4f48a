"""Twenty poison messages interleaved with real traffic: all dead-lettered, nothing else lost.

A real `consume_events` process reads this test's topic while commands run in this process and
a producer slips poison in between their events, keyed by real accounts so that it shares
their partitions. Every poison message lands on the dead-letter topic with its reason, the
worker keeps going, and the read model still equals the store.
"""

import json
import uuid
from decimal import Decimal

import pytest
from confluent_kafka import Producer
from django.conf import settings

from kernel.kafka_config import producer_config
from tests import wired
from tests.e2e import invariant
from tests.e2e.test_poison_and_gaps import read_dead_letters
from tests.harness.command_clients import in_process
from tests.harness.ledger_load import LedgerLoad
from tests.harness.processes import running, start_worker, stop_cleanly
from tests.support import signature, wait_until

pytestmark = pytest.mark.kafka


def event(**changes: object) -> bytes:
    """A well-formed FundsDeposited, then `changes` (None deletes a field)."""
    doc: dict = {
        "event_type": "FundsDeposited",
        "schema_version": 1,
        "event_id": str(uuid.uuid4()),
        "aggregate_id": str(uuid.uuid4()),
        "aggregate_type": "BankAccount",
        "version": 2,
        "timestamp": "2026-01-01T00:00:00+00:00",
        "data": {"amount": "1.00", "balance": "1.00"},
    }
    for key, value in changes.items():
        if value is None:
            doc.pop(key)
        else:
            doc[key] = value
    return json.dumps(doc).encode()


def poison(real_account: uuid.UUID) -> list[bytes | None]:
    return [
        b"this is not json",
        b"",
        None,  # a tombstone
        b"\xff\xfe\x00binary",
        b"[1, 2, 3]",
        b'"just a string"',
        event(event_type="AccountRenamed"),
        event(event_type=None),
        event(schema_version=99),
        event(aggregate_type="Customer"),
        event(version="2"),
        event(version=0),
        event(data="not an object"),
        event(data={"amount": "1.00", "balance": "1.00", "note": "extra"}),
        event(data={"amount": "NaN", "balance": "1.00"}),
        event(data={"amount": "-5.00", "balance": "1.00"}),
        event(data={"amount": "1.005", "balance": "1.00"}),
        event(aggregate_id="not-a-uuid"),
        event(timestamp="yesterday"),
        # Well-formed but inapplicable: far ahead of a real account's stream.
        event(aggregate_id=str(real_account), version=1_000_000),
    ]


def test_poison_interleaved_with_traffic_is_dead_lettered(
    transactional_db, event_store_db, kafka_topic, tmp_path
):
    ledger = invariant.Ledger()
    load = LedgerLoad(ledger, in_process(wired.command_dispatcher()), clients=4)
    accounts = load.open_accounts(6, Decimal("200.00"))
    log = tmp_path / "worker.log"
    producer = Producer(producer_config(settings.KAFKA_BOOTSTRAP_SERVERS))
    messages = poison(accounts[0])
    assert len(messages) == 20
    with running(start_worker(f"test-poison-{uuid.uuid4().hex[:8]}", log=log)) as worker:
        load.start()
        try:
            for n, value in enumerate(messages):
                # A few real commands between two poison messages.
                at = load.accepted()
                wait_until(lambda at=at: load.accepted() >= at + 5, timeout=30, what="traffic")
                key = str(accounts[n % len(accounts)]).encode()
                producer.produce(kafka_topic, key=key, value=value, headers=signature(key, value))
                producer.poll(0)
            assert producer.flush(10) == 0
        finally:
            load.stop()
        assert not load.unexpected, load.unexpected[:5]
        assert wired.publisher().flush(30) == 0

        invariant.wait_until_projected(ledger, timeout=60)
        invariant.assert_store_and_read_model(ledger)
        letters = read_dead_letters(len(messages))
        bootstrap = settings.KAFKA_BOOTSTRAP_SERVERS
        assert invariant.message_count(bootstrap, f"{kafka_topic}.dead-letter") == 20
        assert sorted(m.value() or b"" for m in letters) == sorted(v or b"" for v in messages)
        reasons = [dict(m.headers() or [])["error"].decode() for m in letters]
        assert all(reasons), reasons
        assert any("version 1000000 where" in r for r in reasons), reasons

        stop_cleanly(worker, log)
        assert "'dead_lettered': 20" in log.read_text()
    print(f"\n{load.accepted()} commands accepted around 20 poison messages")
