"""A replay run while the worker consumes live traffic: afterwards the read model is exact.

`replay_events` (a real child process, as an operator runs it) rebuilds every row from the
event store while a `consume_events` process projects new events of the same accounts. The
replay bumps the epoch so the worker forgets the rows it remembered; neither may leave a row
behind its stream, ahead of it, or applied twice.
"""

import signal
import subprocess
import sys
import uuid
from decimal import Decimal

import pytest
from django.conf import settings

from tests import wired
from tests.e2e.invariant import (
    Ledger,
    assert_store_and_read_model,
    assert_topic_has_every_event,
    projected_versions,
    wait_until_projected,
)
from tests.faults.command_load import CommandLoad
from tests.processes import ROOT, child_env, start_worker
from tests.support import wait_until

pytestmark = pytest.mark.kafka

REPLAYS = 3


def test_replays_during_live_consumption_leave_the_read_model_exact(
    transactional_db, event_store_db, kafka_topic, tmp_path
):
    ledger = Ledger()
    load = CommandLoad(wired.command_dispatcher(), ledger)
    for n in range(20):
        load.open_account(f"Holder {n}", Decimal("500.00"))
    log = tmp_path / "worker.log"
    worker = start_worker(f"test-replay-{uuid.uuid4().hex[:8]}", log=log)
    try:
        load.start()
        try:
            wait_until(
                lambda: sum(projected_versions().values()) >= 100,
                timeout=60,
                interval=0.2,
                what=f"the worker to project (log: {log})",
            )
            for _ in range(REPLAYS):
                at = load.accepted()
                replay = subprocess.run(
                    [sys.executable, "manage.py", "replay_events", "--batch-size", "50"],
                    cwd=ROOT,
                    env=child_env(),
                    capture_output=True,
                    text=True,
                    timeout=120,
                )
                assert replay.returncode == 0, replay.stderr[-3000:]
                assert load.accepted() > at, "no command ran during the replay"
        finally:
            load.stop()
        assert not load.unexpected, load.unexpected[:5]
        assert wired.publisher().flush(30) == 0

        wait_until_projected(ledger, timeout=60)
        streams = assert_store_and_read_model(ledger)
        assert_topic_has_every_event(settings.KAFKA_BOOTSTRAP_SERVERS, kafka_topic, streams)
        assert worker.poll() is None, f"the worker exited; see {log}"
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(30) == 0, f"see {log}"
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(10)
    print(f"\n{load.accepted()} commands accepted across {REPLAYS} replays")
