"""Three Kafka brokers (KRaft, replication factor 3, min.insync.replicas=2), one killed under load.

Everything is real: a three-node cluster on free ports (scripts/kafka_cluster.py, as a user runs
it), gunicorn serving the command API with the cluster as its Kafka, and a `consume_events`
process (relay included) projecting from the cluster into MySQL. Deposits and withdrawals go on
over HTTP while the broker leading the most partitions gets SIGKILL, while it is dead, and while it
starts again; it must rejoin and catch up. Then nothing a client was told is lost, and nothing is
applied twice.
"""

import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

import pytest
from confluent_kafka.admin import AdminClient
from django.conf import settings

from kernel.kafka_config import admin_config
from tests.e2e import invariant
from tests.harness.command_clients import over_http
from tests.harness.gunicorn import Gunicorn
from tests.harness.kafka import Cluster
from tests.harness.ledger_load import LedgerLoad
from tests.harness.processes import PY, ROOT, child_env, running, start_worker, stop_cleanly
from tests.harness.tokens import token_for
from tests.support import wait_until

pytestmark = pytest.mark.kafka

ACCOUNTS = 10
OPENING = Decimal("500.00")
PER_PHASE = 100  # commands accepted before the kill, while the broker is dead, while it restarts


@pytest.fixture
def cluster(tmp_path) -> Iterator[Cluster]:
    with Cluster(tmp_path / "cluster", size=3) as kafka:
        yield kafka


@pytest.fixture
def cluster_env(cluster) -> dict[str, str]:
    """What makes a child process use the cluster: its three brokers."""
    env = {**child_env(), "KAFKA_BOOTSTRAP_SERVERS": cluster.bootstrap, "DEBUG": "false"}
    # The topics as `make migrate` makes them, replicated as the cluster's defaults say.
    env["KAFKA_EVENTS_PARTITIONS"] = "3"
    subprocess.run([PY, "manage.py", "ensure_topics"], cwd=ROOT, env=env, check=True)
    admin = AdminClient(admin_config(cluster.bootstrap))
    for topic in (settings.KAFKA_EVENTS_TOPIC, settings.KAFKA_DEAD_LETTER_TOPIC):
        partitions = admin.list_topics(topic, timeout=10).topics[topic].partitions.values()
        assert [len(p.replicas) for p in partitions] == [3] * len(partitions), topic
    return env


@pytest.fixture
def web(transactional_db, event_store_db, cluster_env, tmp_path) -> Iterator[Gunicorn]:
    with Gunicorn(tmp_path / "web.log", "--workers", "3", env=cluster_env) as server:
        yield server


@pytest.fixture
def worker(transactional_db, cluster_env, tmp_path) -> Iterator[None]:
    log = tmp_path / "worker.log"
    group = f"test-cluster-{uuid.uuid4().hex[:8]}"
    with running(start_worker(group, log=log, env=cluster_env)) as process:
        yield
        stop_cleanly(process, log)


def test_a_broker_killed_under_load_loses_nothing_accepted(cluster, web, worker):
    started = time.monotonic()

    def mark(what: str) -> None:  # progress, shown with `pytest -s`
        print(f"{time.monotonic() - started:6.1f} s  {what}", flush=True)

    topic = settings.KAFKA_EVENTS_TOPIC
    ledger = invariant.Ledger()
    load = LedgerLoad(ledger, over_http(web.url, token_for("teller")))
    load.open_accounts(ACCOUNTS, OPENING)

    mark("accounts opened")
    load.phase = "before"
    load.start()
    try:
        wait_until(lambda: load.accepted("before") >= PER_PHASE, timeout=60, what="load")
        victim_id, led = Counter(cluster.leaders(topic).values()).most_common(1)[0]
        victim = next(n for n in cluster.nodes if n.node_id == victim_id)
        cluster.kill(victim)  # SIGKILL: no controlled shutdown, no flush
        mark(f"node {victim_id} killed")
        load.phase = "broker dead"
        killed_at = time.monotonic()
        alive = {n.node_id for n in cluster.nodes} - {victim_id}
        wait_until(
            lambda: set(cluster.leaders(topic).values()) <= alive,
            timeout=60,
            interval=0.2,
            what="every partition to be led by a live broker",
        )
        mark("partitions failed over")
        wait_until(lambda: load.accepted("broker dead") >= PER_PHASE, timeout=60, what="load")
        mark(f"{PER_PHASE} accepted with the node dead")
        # Events stored after the kill reach MySQL through the two brokers left.
        due = ledger.versions()
        wait_until(
            lambda: all(invariant.projected_versions().get(a, 0) >= v for a, v in due.items()),
            timeout=60,
            interval=0.2,
            what="the read model to move on with a broker dead",
        )
        assert cluster.pid(victim) is None and victim_id not in cluster.brokers()
        mark("read model moved on with the node dead")
        dead = (load.accepted("broker dead"), time.monotonic() - killed_at)

        # Started again under load; it rejoins once the load is off the machine's CPUs.
        load.phase = "restarting"
        cluster.start_node(victim)
        wait_until(lambda: load.accepted("restarting") >= PER_PHASE, timeout=60, what="load")
    finally:
        load.stop()
    mark("load stopped")
    assert not load.unexpected, load.unexpected[:5]
    cluster.wait_ready(120)
    everyone = {n.node_id for n in cluster.nodes}
    wait_until(
        lambda: all(isr == everyone for isr in cluster.in_sync(topic).values()),
        timeout=60,
        interval=0.2,
        what=f"node {victim_id} to be in sync again",
    )
    mark(f"node {victim_id} back and in sync")

    invariant.wait_until_projected(ledger)
    mark("read model caught up")
    streams = invariant.assert_store_and_read_model(ledger)
    on_topic = invariant.assert_topic_has_every_event(cluster.bootstrap, topic, streams)
    assert invariant.message_count(cluster.bootstrap, settings.KAFKA_DEAD_LETTER_TOPIC) == 0
    mark("invariant checked")

    events = sum(len(s) for s in streams.values())
    print(
        f"\nkilled node {victim_id} (leader of {led}/3 partitions); "
        f"{dead[0]} commands accepted in the {dead[1]:.1f} s it was dead; "
        f"{load.accepted()} accepted in all, answers {load.totals()}; "
        f"{events} events stored, {on_topic.total()} messages on the topic "
        f"({on_topic.total() - events} duplicates); {time.monotonic() - started:.1f} s"
    )
