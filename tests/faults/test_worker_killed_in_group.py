"""Two workers share the group; one gets SIGKILL mid-batch; the other takes over its partitions.

Both are real `consume_events` processes on this test's topic, with small batches under
continuous load, so the kill lands inside a batch (its MySQL transaction rolled back, its
offsets uncommitted). After the session timeout the survivor is assigned every partition,
re-reads from the last commit, skips what was applied, and the invariant holds.
"""

import signal
import time
import uuid
from decimal import Decimal
from pathlib import Path

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
from tests.processes import start_worker
from tests.support import wait_until

pytestmark = pytest.mark.kafka


def owns_partitions(log: Path) -> bool:
    lines = [line for line in log.read_text().splitlines() if " assigned " in line]
    return bool(lines) and not lines[-1].endswith("assigned nothing")


def test_a_worker_killed_mid_batch_loses_nothing(
    transactional_db, event_store_db, kafka_topic, tmp_path
):
    started = time.monotonic()
    ledger = Ledger()
    load = CommandLoad(wired.command_dispatcher(), ledger)
    for n in range(12):
        load.open_account(f"Holder {n}", Decimal("500.00"))
    group = f"test-pair-{uuid.uuid4().hex[:8]}"
    logs = [tmp_path / "victim.log", tmp_path / "survivor.log"]
    victim, survivor = (start_worker(group, "--batch-size", "20", log=log) for log in logs)
    try:
        load.start()
        try:
            wait_until(
                lambda: all(owns_partitions(log) for log in logs),
                timeout=60,
                interval=0.2,
                what="both workers to own partitions",
            )
            wait_until(lambda: sum(projected_versions().values()) >= 200, timeout=60)
            victim.send_signal(signal.SIGKILL)
            victim.wait(10)
            killed_at = load.accepted()
            wait_until(lambda: load.accepted() >= killed_at + 300, timeout=60, what="load")
        finally:
            load.stop()
        assert not load.unexpected, load.unexpected[:5]
        assert wired.publisher().flush(30) == 0

        wait_until_projected(ledger, timeout=90)
        streams = assert_store_and_read_model(ledger)
        assert_topic_has_every_event(settings.KAFKA_BOOTSTRAP_SERVERS, kafka_topic, streams)
        text = logs[1].read_text()
        assert "revoked" in text, "the survivor never took over"
        assert survivor.poll() is None, f"the survivor exited; see {logs[1]}"
        survivor.send_signal(signal.SIGTERM)
        assert survivor.wait(30) == 0, f"see {logs[1]}"
    finally:
        for process in (victim, survivor):
            if process.poll() is None:
                process.kill()
                process.wait(10)
    print(f"\n{load.accepted()} commands accepted; {time.monotonic() - started:.1f} s")
