"""kill -9 of the whole gunicorn (master and workers) during a burst; clients retry by key.

Each client sends every command with an Idempotency-Key and, when it gets no answer (the
server died under it) or a 5xx or "in progress", sends the very same request again, against
the restarted server, until it gets a real answer. A command whose event was stored before
the kill must then be answered from the event (not run again); one that was not stored runs.
So the store holds exactly one event per command a client saw accepted: none lost, none twice.
"""

import signal
import time
import uuid
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.conftest import _ensure_roles
from tests.e2e.invariant import (
    Ledger,
    assert_store_and_read_model,
    assert_topic_has_every_event,
    wait_until_projected,
)
from tests.faults.keyed_clients import KeyedClients, Web, open_accounts
from tests.processes import start_worker
from tests.support import wait_until

pytestmark = pytest.mark.kafka


def test_web_killed_during_a_burst_applies_every_accepted_command_once(
    transactional_db, event_store_db, kafka_topic, tmp_path
):
    started = time.monotonic()
    _ensure_roles()
    out = StringIO()
    call_command("create_api_client", "killed-web", role="teller", stdout=out)
    token = out.getvalue().split()[-1]
    ledger = Ledger()
    web = Web(tmp_path / "web.log")
    worker = start_worker(f"test-web-{uuid.uuid4().hex[:8]}", log=tmp_path / "worker.log")
    web.start()
    try:
        open_accounts(web.url, token, ledger, 8, "400.00")
        clients = KeyedClients(web, token, ledger)
        clients.start()
        try:
            wait_until(lambda: clients.count("accepted") >= 100, timeout=60)
            web.kill()  # master and workers, mid-burst
            web.start()
            at = clients.count("accepted")
            wait_until(lambda: clients.count("accepted") >= at + 100, timeout=60)
        finally:
            clients.stop()
        assert not clients.unexpected, clients.unexpected[:5]
        assert clients.count("no answer") > 0, "the kills interrupted no request"

        wait_until_projected(ledger, timeout=90)
        streams = assert_store_and_read_model(ledger)
        assert_topic_has_every_event(settings.KAFKA_BOOTSTRAP_SERVERS, kafka_topic, streams)
    finally:
        if web.process is not None and web.process.poll() is None:
            web.kill(signal.SIGTERM)
        worker.send_signal(signal.SIGTERM)
        if worker.wait(30) != 0:
            worker.kill()
    print(f"\nanswers {dict(clients.answers)}; {time.monotonic() - started:.1f} s")
