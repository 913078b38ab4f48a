"""The event store (a private FerretDB) frozen for 20 s under load, then thawed.

gunicorn and a `consume_events` process use the private FerretDB; clients keep sending
commands, each with its Idempotency-Key, and send it again after a 5xx or no answer. While the
store is frozen, commands hang or fail as unavailable (503); none may be half-done. After the
thaw every retried command is answered exactly once, and the invariant holds.
"""

import signal
import time
import uuid
from collections.abc import Iterator
from io import StringIO

import mongoengine
import pytest
from django.conf import settings
from django.core.management import call_command

from apps.eventstore.store import ensure_indexes
from tests import wired
from tests.conftest import _ensure_roles
from tests.e2e.invariant import (
    Ledger,
    assert_store_and_read_model,
    assert_topic_has_every_event,
    wait_until_projected,
)
from tests.faults.keyed_clients import CLIENTS, KeyedClients, Web, open_accounts
from tests.faults.servers import PrivateFerretDB
from tests.processes import start_worker
from tests.support import wait_until

pytestmark = pytest.mark.kafka

FROZEN_SECONDS = 20


def connect(url: str) -> None:
    mongoengine.disconnect()
    mongoengine.connect(
        host=url,
        tz_aware=True,
        connect=False,
        uuidRepresentation="standard",
        serverSelectionTimeoutMS=5000,
    )


@pytest.fixture
def ferretdb(event_store_db, tmp_path) -> Iterator[PrivateFerretDB]:
    """This process and its children use the private FerretDB while the test runs."""
    with PrivateFerretDB(tmp_path / "ferretdb") as server:
        old = settings.MONGODB_URL
        settings.MONGODB_URL = server.url
        connect(server.url)
        ensure_indexes()
        try:
            yield server
        finally:
            settings.MONGODB_URL = old
            connect(old)


def test_commands_survive_a_frozen_event_store(transactional_db, kafka_topic, ferretdb, tmp_path):
    started = time.monotonic()
    _ensure_roles()
    out = StringIO()
    call_command("create_api_client", "frozen-store", role="teller", stdout=out)
    token = out.getvalue().split()[-1]
    ledger = Ledger()
    web = Web(tmp_path / "web.log")
    worker = start_worker(f"test-store-{uuid.uuid4().hex[:8]}", log=tmp_path / "worker.log")
    web.start()
    try:
        open_accounts(web.url, token, ledger, 8, "400.00")
        clients = KeyedClients(web, token, ledger)
        clients.start()
        try:
            wait_until(lambda: clients.count("accepted") >= 100, timeout=60, what="load")
            ferretdb.freeze()
            frozen_at = clients.count("accepted")
            time.sleep(FROZEN_SECONDS)  # the fault itself: a deliberate wait
            during = clients.count("accepted") - frozen_at
            ferretdb.thaw()
            at = clients.count("accepted")
            wait_until(lambda: clients.count("accepted") >= at + 100, timeout=90, what="load")
        finally:
            clients.stop()
        assert not clients.unexpected, clients.unexpected[:5]
        # Only commands already past the store when it froze can be answered meanwhile.
        assert during <= CLIENTS, f"{during} commands accepted with the store frozen"

        wait_until_projected(ledger, timeout=90)
        streams = assert_store_and_read_model(ledger)
        assert_topic_has_every_event(settings.KAFKA_BOOTSTRAP_SERVERS, kafka_topic, streams)
        assert wired.publisher().flush(30) == 0
    finally:
        if web.process is not None and web.process.poll() is None:
            web.kill(signal.SIGTERM)
        worker.send_signal(signal.SIGTERM)
        if worker.wait(30) != 0:
            worker.kill()
    print(f"\nanswers {dict(clients.answers)}; {time.monotonic() - started:.1f} s")
