"""A real consume_events process: its port reports progress, lag and counts, and a worker
whose MySQL hangs turns its /healthz to 503 so that an orchestrator restarts it."""

import re
import subprocess
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from confluent_kafka import Consumer, ConsumerGroupTopicPartitions, TopicPartition
from confluent_kafka.admin import AdminClient
from django.conf import settings
from prometheus_client.parser import text_string_to_metric_families

from apps.accounts_command.domain.commands import DepositFunds, OpenAccount
from apps.accounts_query.console.projection_lag import projection_lag
from apps.accounts_query.models import Account
from kernel.kafka_config import admin_config, reader_config
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


def kafkas_own_lag(topic: str, group: str) -> dict[int, int]:
    """What Kafka's tools say per partition: the group's committed offset (AdminClient
    list_consumer_group_offsets) against the high watermark; no commit: from the low one."""
    admin = AdminClient(admin_config(settings.KAFKA_BOOTSTRAP_SERVERS))
    partitions = sorted(admin.list_topics(topic, timeout=10).topics[topic].partitions)
    request = ConsumerGroupTopicPartitions(group, [TopicPartition(topic, p) for p in partitions])
    (future,) = admin.list_consumer_group_offsets([request]).values()
    committed = {tp.partition: tp.offset for tp in future.result(10).topic_partitions}
    reader = Consumer(reader_config(settings.KAFKA_BOOTSTRAP_SERVERS, "test-lag-oracle"))
    try:
        lags = {}
        for p in partitions:
            low, high = reader.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
            lags[p] = high - (committed[p] if committed[p] >= 0 else low)
        return lags
    finally:
        reader.close()


def test_an_idle_caught_up_worker_reports_the_lag_kafka_reports(
    transactional_db, event_store_db, kafka_topic, tmp_path
):
    # The case: a worker restarted into a group that had read everything has no
    # position on its partitions; counted from the low watermark, its /healthz said "stuck"
    # with lag 425 while Kafka's tools said 0.
    group = f"test-ops-{uuid.uuid4().hex[:8]}"
    dispatcher = command_dispatcher()
    accounts = [
        dispatcher.dispatch(OpenAccount(f"idle {n}", "SAVINGS", Decimal(0))).account_id
        for n in range(6)
    ]
    assert publisher().flush(30) == 0
    first = start_worker(group, "--no-relay", log=tmp_path / "first.log")
    try:
        wait_until(
            lambda: (
                Account.objects.count() == 6
                and set(kafkas_own_lag(kafka_topic, group).values()) == {0}
            ),
            timeout=60,
            what="the first worker to read and commit everything",
        )
    finally:
        first.terminate()
        assert first.wait(30) == 0
    # The deposit below goes to one partition: another must hold events the second worker
    # never reads (the one the old rule counted from its low watermark).
    reader = Consumer(reader_config(settings.KAFKA_BOOTSTRAP_SERVERS, "test-lag-highs"))
    highs = [
        reader.get_watermark_offsets(TopicPartition(kafka_topic, p), timeout=10)[1]
        for p in range(3)
    ]
    reader.close()
    assert sum(1 for high in highs if high > 0) >= 2, highs

    log = tmp_path / "second.log"
    worker = start_worker(
        group, "--no-relay", log=log, env={"WORKER_STUCK_SECONDS": "1", "METRICS_TOKEN": ""}
    )
    try:
        base = f"http://127.0.0.1:{port_of(log)}"
        # One more event: its partition gets a position, the others keep none.
        dispatcher.dispatch(DepositFunds(accounts[0], Decimal(5)))
        assert publisher().flush(30) == 0
        wait_until(
            lambda: Account.objects.get(id=accounts[0]).version == 2,
            timeout=60,
            what=f"the second worker to apply the deposit (log: {log})",
        )

        def three_views() -> tuple[dict[int, int], dict[int, int], dict[int, int], dict] | None:
            text = http_get(f"{base}/metrics")[2].decode()
            metric = {
                int(s.labels["partition"]): int(s.value)
                for family in text_string_to_metric_families(text)
                for s in family.samples
                if s.name == "techbank_projection_lag_messages" and s.labels["topic"] == kafka_topic
            }
            console = {
                row.partition: row.lag
                for row in projection_lag(settings.KAFKA_BOOTSTRAP_SERVERS, kafka_topic, group)
            }
            oracle = kafkas_own_lag(kafka_topic, group)
            status, health = http_json(f"{base}/healthz")
            if len(metric) < 3 or status != 200:
                return None
            return metric, console, oracle, health

        metric, console, oracle, health = wait_until(
            lambda: (views := three_views()) and set(views[2].values()) == {0} and views,
            timeout=30,
            what="every partition's lag on the worker's /metrics",
        )
        assert metric == console == oracle == {0: 0, 1: 0, 2: 0}
        assert (health["status"], health["lag"], health["stuck"]) == ("alive", 0, False)

        # Idle past WORKER_STUCK_SECONDS: still alive, still no lag, on every look.
        until = time.monotonic() + 2.5
        while time.monotonic() < until:
            status, health = http_json(f"{base}/healthz")
            assert (status, health["lag"]) == (200, 0), health
            time.sleep(0.1)
        assert three_views()[:3] == ({0: 0, 1: 0, 2: 0},) * 3
    finally:
        worker.terminate()
        worker.wait(30)
