"""Two workers share the group; one gets SIGKILL mid-batch; the other takes over its partitions.

Both are real `consume_events` processes on this test's topic, with small batches under
continuous load, so the kill lands inside a batch (its MySQL transaction rolled back, its
offsets uncommitted). After the session timeout the survivor is assigned every partition,
re-reads from the last commit, skips what was applied, and the invariant holds.
"""

import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from tests import wired
from tests.e2e import invariant
from tests.harness.command_clients import in_process
from tests.harness.ledger_load import LedgerLoad
from tests.harness.processes import kill, running, start_worker, stop_cleanly
from tests.support import wait_until

pytestmark = pytest.mark.kafka


def owns_partitions(log: Path) -> bool:
    lines = [line for line in log.read_text().splitlines() if " assigned " in line]
    return bool(lines) and not lines[-1].endswith("assigned nothing")


def test_a_worker_killed_mid_batch_loses_nothing(
    transactional_db, event_store_db, kafka_topic, tmp_path
):
    started = time.monotonic()
    ledger = invariant.Ledger()
    load = LedgerLoad(ledger, in_process(wired.command_dispatcher()), clients=4)
    load.open_accounts(12, Decimal("500.00"))
    group = f"test-pair-{uuid.uuid4().hex[:8]}"
    logs = [tmp_path / "victim.log", tmp_path / "survivor.log"]
    with (
        running(start_worker(group, "--batch-size", "20", log=logs[0])) as victim,
        running(start_worker(group, "--batch-size", "20", log=logs[1])) as survivor,
    ):
        load.start()
        try:
            wait_until(
                lambda: all(owns_partitions(log) for log in logs),
                timeout=60,
                interval=0.2,
                what="both workers to own partitions",
            )
            wait_until(lambda: sum(invariant.projected_versions().values()) >= 200, timeout=60)
            kill(victim)
            killed_at = load.accepted()
            wait_until(lambda: load.accepted() >= killed_at + 300, timeout=60, what="load")
        finally:
            load.stop()
        assert not load.unexpected, load.unexpected[:5]
        assert wired.publisher().flush(30) == 0

        invariant.assert_invariant(ledger, settings.KAFKA_BOOTSTRAP_SERVERS, kafka_topic, 90)
        assert "revoked" in logs[1].read_text(), "the survivor never took over"
        stop_cleanly(survivor, logs[1])
    print(f"\n{load.accepted()} commands accepted; {time.monotonic() - started:.1f} s")
