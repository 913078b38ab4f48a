"""kill -9 of the whole gunicorn (master and workers) during a burst; clients retry by key.

Each client sends every command with an Idempotency-Key and, when it gets no answer (the
server died under it) or a 5xx or "in progress", sends the very same request again, against
the restarted server, until it gets a real answer. A command whose event was stored before
the kill must then be answered from the event (not run again); one that was not stored runs.
So the store holds exactly one event per command a client saw accepted: none lost, none twice.
"""

import time
import uuid
from decimal import Decimal

import pytest
from django.conf import settings

from tests.e2e.invariant import Ledger, assert_invariant
from tests.faults.keyed_load import keyed_load
from tests.support import wait_until

pytestmark = pytest.mark.kafka


def test_web_killed_during_a_burst_applies_every_accepted_command_once(
    transactional_db, event_store_db, kafka_topic, tmp_path
):
    started = time.monotonic()
    ledger = Ledger()
    with keyed_load(tmp_path, ledger, f"test-web-{uuid.uuid4().hex[:8]}") as (web, clients):
        clients.open_accounts(8, Decimal("400.00"))
        clients.start()
        try:
            wait_until(lambda: clients.accepted() >= 100, timeout=60)
            web.kill()  # master and workers, mid-burst
            web.start()
            at = clients.accepted()
            wait_until(lambda: clients.accepted() >= at + 100, timeout=60)
        finally:
            clients.stop()
        assert not clients.unexpected, clients.unexpected[:5]
        assert clients.count("no answer") > 0, "the kills interrupted no request"

        assert_invariant(ledger, settings.KAFKA_BOOTSTRAP_SERVERS, kafka_topic, 90)
    print(f"\nanswers {clients.totals()}; {time.monotonic() - started:.1f} s")
