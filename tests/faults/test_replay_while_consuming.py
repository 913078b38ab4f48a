"""A replay run while the worker consumes live traffic: afterwards the read model is exact.

`replay_events` (a real child process, as an operator runs it) rebuilds every row from the
event store while a `consume_events` process projects new events of the same accounts. The
replay bumps the epoch so the worker forgets the rows it remembered; neither may leave a row
behind its stream, ahead of it, or applied twice.
"""

import subprocess
import uuid
from decimal import Decimal

import pytest
from django.conf import settings

from tests import wired
from tests.e2e import invariant
from tests.harness.command_clients import in_process
from tests.harness.ledger_load import LedgerLoad
from tests.harness.processes import PY, ROOT, child_env, running, start_worker, stop_cleanly

pytestmark = pytest.mark.kafka

REPLAYS = 3


def test_replays_during_live_consumption_leave_the_read_model_exact(
    transactional_db, event_store_db, kafka_topic, tmp_path
):
    ledger = invariant.Ledger()
    load = LedgerLoad(ledger, in_process(wired.command_dispatcher()), clients=4)
    load.open_accounts(20, Decimal("500.00"))
    log = tmp_path / "worker.log"
    with running(start_worker(f"test-replay-{uuid.uuid4().hex[:8]}", log=log)) as worker:
        load.start()
        try:
            invariant.wait_projected_at_least(100, log)
            for _ in range(REPLAYS):
                at = load.accepted()
                replay = subprocess.run(
                    [PY, "manage.py", "replay_events", "--batch-size", "50"],
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

        invariant.assert_invariant(ledger, settings.KAFKA_BOOTSTRAP_SERVERS, kafka_topic)
        stop_cleanly(worker, log)
    print(f"\n{load.accepted()} commands accepted across {REPLAYS} replays")
