"""A real consume_events process: its port reports progress, lag and counts, and a worker
whose MySQL hangs turns its /healthz to 503 so that an orchestrator restarts it."""

import re
import subprocess
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from apps.accounts_command.domain.commands import DepositFunds, OpenAccount
from apps.accounts_query.models import Account
from tests.harness.processes import start_worker
from tests.ops.support import frozen_server, http_get, http_json, sample
from tests.support import wait_until
from tests.wired import command_dispatcher, publisher

pytestmark = pytest.mark.kafka


def start(log: Path, **env: str) -> subprocess.Popen:
    return start_worker(f"test-ops-{uuid.uuid4().hex[:8]}", "--no-relay", log=log, env=env)


def port_of(log: Path) -> int:
    found = wait_until(
        lambda: re.search(r"health and metrics on http://127\.0\.0\.1:(\d+)/", log.read_text()),
        timeout=30,
        what=f"the worker's health port in {log}",
    )
    return int(found.group(1))


def publish_events(accounts: int = 3) -> int:
    dispatcher = command_dispatcher()
    for n in range(accounts):
        account = dispatcher.dispatch(OpenAccount(f"ops {n}", "SAVINGS", Decimal(0))).account_id
        dispatcher.dispatch(DepositFunds(account, Decimal(5)))
    assert publisher().flush(30) == 0
    return 2 * accounts


def test_worker_port_reports_progress_and_lag(
    transactional_db, event_store_db, kafka_topic, tmp_path
):
    log = tmp_path / "worker.log"
    worker = start(log)
    try:
        base = f"http://127.0.0.1:{port_of(log)}"
        assert http_json(f"{base}/healthz")[0] == 200
        events = publish_events()
        wait_until(
            lambda: sum(Account.objects.values_list("version", flat=True)) == events,
            timeout=60,
            what=f"the worker to apply {events} events (log: {log})",
        )

        def scraped() -> str | None:
            text = http_get(f"{base}/metrics")[2].decode()
            applied = sample(text, "techbank_projection_events_total", result="applied")
            return text if applied == events else None

        text = wait_until(scraped, timeout=30, what="the applied count on /metrics")
        lags = [
            s
            for family in text_string_to_metric_families(text)
            for s in family.samples
            if s.name == "techbank_projection_lag_messages"
        ]
        assert {s.labels["topic"] for s in lags} == {kafka_topic}
        assert sum(s.value for s in lags) == 0  # caught up
        assert sample(text, "techbank_dead_lettered_messages_total") == 0
        status, body = http_json(f"{base}/healthz")
        assert (status, body["lag"], body["stuck"]) == (200, 0, False)
        assert http_json(f"{base}/readyz")[0] == 200
    finally:
        worker.terminate()
        worker.wait(30)


def test_worker_with_a_hanging_mysql_reports_itself_stuck(
    transactional_db, event_store_db, kafka_topic, tmp_path
):
    log = tmp_path / "worker.log"
    with frozen_server() as port:
        worker = start(
            log,
            DATABASE_URL=f"mysql://nobody:nothing@127.0.0.1:{port}/frozen",
            WORKER_STUCK_SECONDS="1",
            READINESS_TIMEOUT_SECONDS="1",
            METRICS_TOKEN="worker-ops-token",
        )
        try:
            base = f"http://127.0.0.1:{port_of(log)}"
            assert http_json(f"{base}/healthz")[0] == 200  # no work yet: not stuck
            publish_events(1)
            status, body = wait_until(
                lambda: (answer := http_json(f"{base}/healthz"))[0] == 503 and answer,
                timeout=60,
                what="/healthz to say stuck",
            )
            assert body["status"] == "stuck"
            assert body["lag"] >= 1
            assert http_json(f"{base}/readyz") == (503, {"status": "not_ready"})
            authorized = {"Authorization": "Bearer worker-ops-token"}
            status, body = http_json(f"{base}/readyz", authorized)
            assert status == 503
            assert body["checks"]["mysql"]["status"] == "down"
        finally:
            worker.kill()
            worker.wait(30)
