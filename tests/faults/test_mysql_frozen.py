"""MySQL frozen (SIGSTOP) for longer than the worker's max.poll.interval, under load.

A private MariaDB is the read database of a real `consume_events` process whose
KAFKA_MAX_POLL_INTERVAL_MS is 10 s (librdkafka's least: the session timeout). Commands go on
in this process (the write side needs no MySQL) while MySQL is frozen for 15 s. The worker
must notice the hung database within DATABASE_TIMEOUT_SECONDS, wait the outage out polling
Kafka with its partitions paused, and so keep its place in the group: no eviction, no
rebalance. After the thaw it catches up, and the invariant holds.
"""

import os
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.conf import settings

from tests import wired
from tests.e2e import invariant
from tests.harness.command_clients import in_process
from tests.harness.ledger_load import LedgerLoad
from tests.harness.mariadb import PrivateMariaDB, database_alias, migrate
from tests.harness.processes import running, start_worker, stop_cleanly
from tests.support import wait_until

pytestmark = pytest.mark.kafka

FROZEN_SECONDS = 15
MAX_POLL_INTERVAL_MS = 10_000


@pytest.fixture
def mariadb(tmp_path) -> Iterator[PrivateMariaDB]:
    with PrivateMariaDB(tmp_path / "mariadb") as server:
        migrate(server.url)
        yield server


def test_worker_keeps_its_membership_while_mysql_is_frozen(
    transactional_db, event_store_db, kafka_topic, mariadb, tmp_path
):
    started = time.monotonic()
    ledger = invariant.Ledger()
    load = LedgerLoad(ledger, in_process(wired.command_dispatcher()), clients=4)
    load.open_accounts(8, Decimal("300.00"))
    log = tmp_path / "worker.log"
    env = {
        "DATABASE_URL": mariadb.url,
        "KAFKA_MAX_POLL_INTERVAL_MS": str(MAX_POLL_INTERVAL_MS),
        "DATABASE_TIMEOUT_SECONDS": "2",
    }
    group = f"test-frozen-{uuid.uuid4().hex[:8]}"
    with (
        running(start_worker(group, log=log, env=env)) as worker,
        database_alias(mariadb.url) as alias,
    ):
        load.start()
        try:
            invariant.wait_projected_at_least(40, log, using=alias)
            mariadb.freeze()
            frozen_at = load.accepted()
            time.sleep(FROZEN_SECONDS)  # the fault itself: a deliberate wait
            during = load.accepted() - frozen_at
            mariadb.thaw()
            wait_until(lambda: load.accepted() >= frozen_at + during + 50, timeout=60)
        finally:
            load.stop()
        assert not load.unexpected, load.unexpected[:5]
        assert during > 0, "no command was accepted while MySQL was frozen"
        assert wired.publisher().flush(30) == 0

        bootstrap = settings.KAFKA_BOOTSTRAP_SERVERS
        invariant.assert_invariant(ledger, bootstrap, kafka_topic, 90, using=alias)
        assert invariant.message_count(bootstrap, f"{kafka_topic}.dead-letter") == 0

        assert worker.poll() is None, f"the worker exited; see {log}"
        text = log.read_text()
        # One assignment at start, never revoked: the group never rebalanced it away.
        assert text.count("assigned ") == 1, text[-3000:]
        assert "revoked " not in text and "poll interval" not in text, text[-3000:]
        assert "a backing service failed" in text, "the worker never noticed the freeze"
        stop_cleanly(worker, log)
    print(
        f"\n{load.accepted()} commands accepted ({during} while MySQL was frozen "
        f"{FROZEN_SECONDS} s); answers {load.totals()}; {time.monotonic() - started:.1f} s"
    )


def test_private_mariadb_is_torn_down(tmp_path) -> None:
    """The fixture's server stops (even frozen) and leaves no process behind."""
    with PrivateMariaDB(tmp_path / "m") as server:
        server.freeze()
        assert server.process is not None
        pid = server.process.pid
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
