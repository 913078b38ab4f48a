"""The event store (a private FerretDB) frozen for 20 s under load, then thawed.

gunicorn and a `consume_events` process use the private FerretDB; clients keep sending
commands, each with its Idempotency-Key, and send it again after a 5xx or no answer. While the
store is frozen, commands hang or fail as unavailable (503); none may be half-done. After the
thaw every retried command is answered exactly once, and the invariant holds.
"""

import time
import uuid
from decimal import Decimal

import pytest
from django.conf import settings

from tests import wired
from tests.e2e.invariant import Ledger, assert_invariant
from tests.faults.keyed_load import keyed_load
from tests.support import wait_until

pytestmark = pytest.mark.kafka

FROZEN_SECONDS = 20


def test_commands_survive_a_frozen_event_store(transactional_db, kafka_topic, ferretdb, tmp_path):
    started = time.monotonic()
    ledger = Ledger()
    with keyed_load(tmp_path, ledger, f"test-store-{uuid.uuid4().hex[:8]}") as (_, clients):
        clients.open_accounts(8, Decimal("400.00"))
        clients.start()
        try:
            wait_until(lambda: clients.accepted() >= 100, timeout=60, what="load")
            ferretdb.freeze()
            frozen_at = clients.accepted()
            time.sleep(FROZEN_SECONDS)  # the fault itself: a deliberate wait
            during = clients.accepted() - frozen_at
            ferretdb.thaw()
            at = clients.accepted()
            wait_until(lambda: clients.accepted() >= at + 100, timeout=90, what="load")
        finally:
            clients.stop()
        assert not clients.unexpected, clients.unexpected[:5]
        # Only commands already past the store when it froze can be answered meanwhile.
        assert during <= clients.clients, f"{during} commands accepted with the store frozen"

        assert_invariant(ledger, settings.KAFKA_BOOTSTRAP_SERVERS, kafka_topic, 90)
        assert wired.publisher().flush(30) == 0
    print(f"\nanswers {clients.totals()}; {time.monotonic() - started:.1f} s")
