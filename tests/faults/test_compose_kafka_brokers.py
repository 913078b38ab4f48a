"""docker-compose.yml's three Kafka brokers, run from their own settings (no Docker here).

Each broker's properties are what the apache/kafka image makes of its environment in the
normalized compose project (compose-go, as tests/test_compose.py loads it), with only the
addresses put on free ports of 127.0.0.1 (EXTERNAL left out). So the brokers' replication and
quorum over SASL/PLAIN, the clients' SCRAM login and the replication settings are the file's.
Then: a topic created as ensure_topics does has three replicas; with one broker killed an
acks=all produce is acknowledged; with two killed it is refused, never acknowledged.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from confluent_kafka import Producer
from confluent_kafka.admin import (
    AdminClient,
    NewTopic,
    ScramCredentialInfo,
    ScramMechanism,
    UserScramCredentialUpsertion,
)

from kernel.kafka_config import producer_config, security_config
from scripts.kafka_cluster import Node, free_ports
from tests.harness.kafka import Cluster
from tests.support import wait_until
from tests.test_compose import COMPOSE, ROOT, SECRETS, load, project_of

pytestmark = pytest.mark.kafka

ADMIN, PASSWORD = "techbank-admin", SECRETS["KAFKA_ADMIN_PASSWORD"]
TOPIC = "techbank.account-events"


def image_properties(env: dict[str, str]) -> dict[str, str]:
    """The image's rule: KAFKA_A_B -> a.b, "___" -> "-" (CLUSTER_ID is the format's)."""
    return {
        k[6:].replace("___", "\0").replace("_", ".").replace("\0", "-").lower(): str(v)
        for k, v in env.items()
        if k.startswith("KAFKA_")
    }


class ComposeBrokers(Cluster):
    """Node.port is the LOCAL listener (PLAINTEXT, loopback): the harness's readiness and
    metadata calls use it, as the image's healthcheck does."""

    def __init__(self, workdir: Path, envs: list[dict[str, str]]) -> None:
        super().__init__(workdir, size=3, heap="256m")
        self.envs = envs
        ports = free_ports(6)
        self.internal = {n.node_id: ports[2 * i] for i, n in enumerate(self.nodes)}
        self.broker = {n.node_id: ports[2 * i + 1] for i, n in enumerate(self.nodes)}
        self.clients = ",".join(f"127.0.0.1:{p}" for p in self.internal.values())

    def _render(self, node: Node) -> str:
        props = image_properties(self.envs[node.node_id - 1])
        assert props["node.id"] == str(node.node_id)
        here = {
            "INTERNAL": self.internal[node.node_id],
            "BROKER": self.broker[node.node_id],
            "LOCAL": node.port,
        }
        props["listeners"] = ",".join(
            [f"{name}://127.0.0.1:{port}" for name, port in here.items()]
            + [f"CONTROLLER://127.0.0.1:{node.controller_port}"]
        )
        props["advertised.listeners"] = ",".join(
            f"{name}://127.0.0.1:{port}" for name, port in here.items()
        )
        props["controller.quorum.voters"] = ",".join(
            f"{n.node_id}@127.0.0.1:{n.controller_port}" for n in self.nodes
        )
        props["log.dirs"] = str(self.node_dir(node) / "data")
        # Timing only: a killed broker is fenced (and leaves the ISRs) in 3 s instead of 9.
        props["broker.session.timeout.ms"] = "3000"
        props["broker.heartbeat.interval.ms"] = "1000"
        return "".join(f"{k}={v}\n" for k, v in props.items())


@pytest.fixture(scope="module")
def brokers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ComposeBrokers]:
    built = subprocess.run(
        [str(ROOT / "scripts" / "compose-check.sh"), "--build"],
        capture_output=True, text=True, timeout=900, check=True,
    )  # fmt: skip
    binary = Path(built.stdout.strip().splitlines()[-1])
    project = project_of(load(binary, tmp_path_factory.mktemp("compose"), SECRETS, COMPOSE))
    envs = [project["services"][f"kafka{n}"]["environment"] for n in (1, 2, 3)]
    with ComposeBrokers(tmp_path_factory.mktemp("brokers") / "kafka", envs) as cluster:
        # What kafka-users does first, over the loopback listener: the admin's SCRAM login.
        local = AdminClient({"bootstrap.servers": cluster.bootstrap, "log_level": 0})
        info = ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192)
        upsert = UserScramCredentialUpsertion(ADMIN, info, PASSWORD.encode())
        for future in local.alter_user_scram_credentials([upsert]).values():
            future.result(30)
        yield cluster


def login(cluster: ComposeBrokers) -> dict[str, str]:
    return security_config("SASL_PLAINTEXT", "SCRAM-SHA-512", ADMIN, PASSWORD)


def produce(cluster: ComposeBrokers, timeout_ms: int) -> str | None:
    """One acks=all message through the clients' SCRAM listener: None once acknowledged."""
    config = producer_config(cluster.clients, message_timeout_ms=timeout_ms)
    producer = Producer({**config, **login(cluster), "log_level": 0})
    errors: list[str | None] = []
    producer.produce(
        TOPIC, b"x", key=b"k", on_delivery=lambda e, _: errors.append(None if e is None else str(e))
    )
    producer.flush(timeout_ms / 1000 + 10)
    return errors[0] if errors else "no delivery report"


def test_the_compose_brokers_replicate_and_refuse_what_they_cannot(brokers):
    # The cluster formed: every node lists three brokers (BROKER and CONTROLLER over SASL/PLAIN).
    assert brokers.brokers() == {1, 2, 3}
    admin = AdminClient({"bootstrap.servers": brokers.clients, **login(brokers), "log_level": 0})
    # As ensure_topics asks: the cluster's default replication factor.
    for future in admin.create_topics([NewTopic(TOPIC, 3, replication_factor=-1)]).values():
        future.result(30)
    replicas = wait_until(
        lambda: [len(p.replicas) for p in brokers._partitions(TOPIC).values()] or None,
        timeout=30,
        what=f"{TOPIC}'s partitions in the metadata",
    )
    assert replicas == [3, 3, 3]
    assert produce(brokers, 30_000) is None

    brokers.kill(brokers.nodes[2])
    # min.insync.replicas=2: the two brokers left acknowledge (once the dead one is fenced).
    assert produce(brokers, 60_000) is None

    brokers.kill(brokers.nodes[1])
    # One copy left: refused (NOT_ENOUGH_REPLICAS or no answer in time), never acknowledged.
    error = produce(brokers, 5_000)
    assert error is not None
    print(f"with two brokers down: {error}")
    # Without a quorum the last one cannot shut down in order: no use waiting for it.
    brokers.kill(brokers.nodes[0])
