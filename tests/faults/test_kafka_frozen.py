"""A private Kafka frozen (SIGSTOP) for 15 s under load, then thawed.

The write side (in this process) and a `consume_events` process (relay included) use a
private broker. While it is frozen, commands are still accepted (an event is stored first, its
outbox marker kept until Kafka acknowledges it) and the worker waits; after the thaw every
event reaches the topic (acknowledged late, or re-sent by the relay) and MySQL.
"""

import os
import signal
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.conf import settings

from tests import wired
from tests.e2e.invariant import (
    Ledger,
    assert_store_and_read_model,
    assert_topic_has_every_event,
    message_count,
    projected_versions,
    wait_until_projected,
)
from tests.e2e.private_kafka import PrivateKafka, serving
from tests.faults.command_load import CommandLoad
from tests.processes import start_worker
from tests.support import wait_until

pytestmark = pytest.mark.kafka

FROZEN_SECONDS = 15


@pytest.fixture
def broker(tmp_path) -> Iterator[PrivateKafka]:
    topics = {settings.KAFKA_EVENTS_TOPIC: 3, settings.KAFKA_DEAD_LETTER_TOPIC: 1}
    with serving(tmp_path / "kafka", topics) as kafka:
        yield kafka


def test_commands_and_projection_survive_a_frozen_kafka(
    transactional_db, event_store_db, broker, tmp_path
):
    started = time.monotonic()
    ledger = Ledger()
    load = CommandLoad(wired.command_dispatcher(), ledger)
    for n in range(8):
        load.open_account(f"Holder {n}", Decimal("300.00"))
    log = tmp_path / "worker.log"
    worker = start_worker(f"test-kfrozen-{uuid.uuid4().hex[:8]}", log=log)
    (node,) = broker.nodes
    try:
        load.start()
        try:
            wait_until(
                lambda: sum(projected_versions().values()) >= 50,
                timeout=60,
                interval=0.2,
                what=f"the worker to project (log: {log})",
            )
            os.kill(broker.pid(node), signal.SIGSTOP)
            frozen_at = load.accepted()
            time.sleep(FROZEN_SECONDS)  # the fault itself: a deliberate wait
            during = load.accepted() - frozen_at
            os.kill(broker.pid(node), signal.SIGCONT)
            at = load.accepted()
            wait_until(lambda: load.accepted() >= at + 100, timeout=60, what="load")
        finally:
            load.stop()
        assert not load.unexpected, load.unexpected[:5]
        assert during > 0, "no command was accepted while Kafka was frozen"
        assert wired.publisher().flush(60) == 0

        wait_until_projected(ledger, timeout=120)
        streams = assert_store_and_read_model(ledger)
        assert_topic_has_every_event(broker.bootstrap, settings.KAFKA_EVENTS_TOPIC, streams)
        assert message_count(broker.bootstrap, settings.KAFKA_DEAD_LETTER_TOPIC) == 0
        assert worker.poll() is None, f"the worker exited; see {log}"
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(30) == 0, f"see {log}"
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(10)
    print(
        f"\n{load.accepted()} commands accepted ({during} while Kafka was frozen "
        f"{FROZEN_SECONDS} s); {time.monotonic() - started:.1f} s"
    )
