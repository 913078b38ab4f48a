"""A private Kafka frozen (SIGSTOP) for 15 s under load, then thawed.

The write side (in this process) and a `consume_events` process (relay included) use a
private broker. While it is frozen, commands are still accepted (an event is stored first, its
outbox marker kept until Kafka acknowledges it) and the worker waits; after the thaw every
event reaches the topic (acknowledged late, or re-sent by the relay) and MySQL.
"""

import time
import uuid
from decimal import Decimal

import pytest
from django.conf import settings

from tests import wired
from tests.e2e import invariant
from tests.harness.command_clients import in_process
from tests.harness.kafka import PrivateKafka
from tests.harness.ledger_load import LedgerLoad
from tests.harness.processes import running, start_worker, stop_cleanly
from tests.support import wait_until

pytestmark = pytest.mark.kafka

FROZEN_SECONDS = 15


@pytest.fixture
def broker(private_kafka) -> PrivateKafka:
    return private_kafka({settings.KAFKA_EVENTS_TOPIC: 3, settings.KAFKA_DEAD_LETTER_TOPIC: 1})


def test_commands_and_projection_survive_a_frozen_kafka(
    transactional_db, event_store_db, broker, tmp_path
):
    started = time.monotonic()
    ledger = invariant.Ledger()
    load = LedgerLoad(ledger, in_process(wired.command_dispatcher()), clients=4)
    load.open_accounts(8, Decimal("300.00"))
    log = tmp_path / "worker.log"
    with running(start_worker(f"test-kfrozen-{uuid.uuid4().hex[:8]}", log=log)) as worker:
        load.start()
        try:
            invariant.wait_projected_at_least(50, log)
            broker.freeze()
            frozen_at = load.accepted()
            time.sleep(FROZEN_SECONDS)  # the fault itself: a deliberate wait
            during = load.accepted() - frozen_at
            broker.thaw()
            at = load.accepted()
            wait_until(lambda: load.accepted() >= at + 100, timeout=60, what="load")
        finally:
            load.stop()
        assert not load.unexpected, load.unexpected[:5]
        assert during > 0, "no command was accepted while Kafka was frozen"
        assert wired.publisher().flush(60) == 0

        invariant.assert_invariant(ledger, broker.bootstrap, settings.KAFKA_EVENTS_TOPIC, 120)
        dead_letters = settings.KAFKA_DEAD_LETTER_TOPIC
        assert invariant.message_count(broker.bootstrap, dead_letters) == 0
        stop_cleanly(worker, log)
    print(
        f"\n{load.accepted()} commands accepted ({during} while Kafka was frozen "
        f"{FROZEN_SECONDS} s); {time.monotonic() - started:.1f} s"
    )
