"""A real Apache Kafka cluster (KRaft) on 127.0.0.1, run from the jars `make services` fetched.

Every node is a broker and a controller in one JVM, and every node votes in the controller
quorum, so three nodes survive the loss of any one. With three nodes each topic is kept on all
three (`default.replication.factor=3`) and an `acks=all` write needs two copies
(`min.insync.replicas=2`): with one broker dead, producing goes on and nothing acknowledged is
lost. One node is the single private broker some tests stop and start.

The cluster lives in one directory: `cluster.json` (its id and ports, chosen free once and kept
across restarts) and `node-N/` (server.properties, data, kafka.log, broker.out, pid).

    scripts/kafka-cluster.sh up DIR [--nodes 3]   format what is new, start what is stopped, wait
    scripts/kafka-cluster.sh status DIR           one line per node; exit 1 unless all are up
    scripts/kafka-cluster.sh kill DIR NODE        kill -9 one node (`up` starts it again)
    scripts/kafka-cluster.sh stop DIR             stop every node
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient

ROOT = Path(__file__).resolve().parents[1]
LIBS = ROOT / ".services" / "kafka" / "libs"
TEMPLATE = ROOT / "services" / "kafka" / "server.properties"
LOG4J = ROOT / "services" / "kafka" / "log4j.properties"
# Small, quick to start, and light on a machine that runs three of them and more: C1 only (no
# C2 compiler threads), and the serial collector for a heap this small.
JVM_FLAGS = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true"]


# Free ports are looked for from here up to the kernel's ephemeral range, from which outgoing
# connections take their source ports. A port that bind(0) picks lies in that range: a server
# binding it seconds later (a JVM starting) could find a client's connection there ("Address
# already in use", seen in CI); below the range only another server can take it.
PORT_FLOOR = 20000


def free_ports(count: int) -> list[int]:
    """`count` distinct ports nobody listens on now (all held open at once, then released)."""
    ceiling = _ephemeral_floor()
    pick = random.SystemRandom()
    sockets: list[socket.socket] = []
    try:
        while len(sockets) < count:
            sock = socket.socket()
            try:
                sock.bind(("127.0.0.1", pick.randrange(PORT_FLOOR, ceiling)))
            except OSError:  # taken: another one
                sock.close()
                continue
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _ephemeral_floor() -> int:
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768  # Linux's default
    return max(low, PORT_FLOOR + 1000)


def free_port() -> int:
    return free_ports(1)[0]


def new_cluster_id() -> str:
    """What `kafka-storage random-uuid` prints, without starting a JVM for it."""
    while True:
        cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cid.startswith("-"):  # the storage tool would take it for an option
            return cid


@dataclass(frozen=True)
class Node:
    node_id: int
    port: int
    controller_port: int


def replication(size: int) -> dict[str, str]:
    """Broker defaults for a cluster of `size`; one node keeps the template's (no replicas)."""
    if size == 1:
        return {}
    copies = min(size, 3)
    return {
        "default.replication.factor": str(copies),
        "min.insync.replicas": str(copies - 1),
        "offsets.topic.replication.factor": str(copies),
        "transaction.state.log.replication.factor": str(copies),
        "transaction.state.log.min.isr": str(copies - 1),
    }


class KafkaCluster:
    def __init__(self, workdir: Path, size: int = 3, heap: str = "256m") -> None:
        self.workdir = workdir.resolve()
        self.heap = heap
        self._processes: dict[int, subprocess.Popen] = {}
        state = self.workdir / "cluster.json"
        if state.exists():  # an existing cluster keeps its id, size and ports
            saved = json.loads(state.read_text())
            self.cluster_id = saved["cluster_id"]
            self.nodes = [Node(**n) for n in saved["nodes"]]
        else:
            ports = free_ports(2 * size)
            self.cluster_id = new_cluster_id()
            self.nodes = [Node(i + 1, ports[2 * i], ports[2 * i + 1]) for i in range(size)]
            self.workdir.mkdir(parents=True, exist_ok=True)
            nodes = [asdict(n) for n in self.nodes]
            state.write_text(json.dumps({"cluster_id": self.cluster_id, "nodes": nodes}))
        self.bootstrap = ",".join(f"127.0.0.1:{n.port}" for n in self.nodes)

    # --- files ----------------------------------------------------------------------------
    def node_dir(self, node: Node) -> Path:
        return self.workdir / f"node-{node.node_id}"

    def config(self, node: Node) -> Path:
        return self.node_dir(node) / "server.properties"

    def _render(self, node: Node) -> str:
        voters = ",".join(f"{n.node_id}@127.0.0.1:{n.controller_port}" for n in self.nodes)
        wanted = {
            "node.id": str(node.node_id),
            "controller.quorum.voters": voters,
            "listeners": f"PLAINTEXT://127.0.0.1:{node.port},"
            f"CONTROLLER://127.0.0.1:{node.controller_port}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{node.port}",
            "log.dirs": str(self.node_dir(node) / "data"),
            **replication(len(self.nodes)),
        }
        # The shared single broker's file, with this node's values in place of its own.
        lines = []
        for line in TEMPLATE.read_text().splitlines():
            key = line.split("=", 1)[0].strip()
            lines.append(f"{key}={wanted.pop(key)}" if key in wanted else line)
        return "\n".join([*lines, *(f"{k}={v}" for k, v in wanted.items())]) + "\n"

    def _java(self, node: Node, *args: str) -> list[str]:
        return [
            "java",
            f"-Xmx{self.heap}",
            *JVM_FLAGS,
            f"-Dlog4j.configuration=file:{LOG4J}",
            f"-Dkafka.logs.dir={self.node_dir(node)}",
            "-cp",
            f"{LIBS}/*",
            *args,
        ]

    def _format(self, node: Node) -> subprocess.Popen | None:
        self.node_dir(node).mkdir(parents=True, exist_ok=True)
        self.config(node).write_text(self._render(node))
        if (self.node_dir(node) / "data" / "meta.properties").exists():
            return None
        command = ["kafka.tools.StorageTool", "format", "-t", self.cluster_id]
        with (self.node_dir(node) / "format.log").open("ab") as out:
            return subprocess.Popen(
                self._java(node, *command, "-c", str(self.config(node))),
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    # --- processes ------------------------------------------------------------------------
    def pid(self, node: Node) -> int | None:
        """The node's JVM if it is running (a reused pid is not mistaken for it)."""
        process = self._processes.get(node.node_id)
        if process is not None:
            return process.pid if process.poll() is None else None
        try:
            pid = int((self.node_dir(node) / "pid").read_text())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError):
            return None
        return pid if str(self.config(node)).encode() in cmdline else None

    def start(self, timeout: float = 120.0, detach: bool = False) -> None:
        """Formats new nodes, starts stopped ones, and waits until all are brokers again."""
        if not LIBS.is_dir():
            raise RuntimeError(f"no Kafka jars in {LIBS}: run `make services` once")
        formats = [(n, p) for n in self.nodes if (p := self._format(n)) is not None]
        for node, process in formats:
            if process.wait(60) != 0:
                raise RuntimeError(f"formatting node {node.node_id} failed: see its format.log")
        for node in self.nodes:
            self.start_node(node, detach)
        self.wait_ready(timeout)

    def start_node(self, node: Node, detach: bool = False) -> None:
        if self.pid(node) is not None:
            return
        with (self.node_dir(node) / "broker.out").open("ab") as out:
            process = subprocess.Popen(
                self._java(node, "kafka.Kafka", str(self.config(node))),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                # Detached for the script: the cluster outlives the shell that started it.
                start_new_session=detach,
            )
        self._processes[node.node_id] = process
        (self.node_dir(node) / "pid").write_text(str(process.pid))

    def kill(self, node: Node, sig: signal.Signals = signal.SIGKILL) -> None:
        pid = self.pid(node)
        if pid is not None:
            os.kill(pid, sig)
            if node.node_id in self._processes:
                self._processes[node.node_id].wait(30)

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM to all at once (a controlled shutdown needs the quorum), SIGKILL if stuck."""
        running = {n: pid for n in self.nodes if (pid := self.pid(n)) is not None}
        for pid in running.values():
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while any(self.pid(n) for n in running) and time.monotonic() < deadline:
            time.sleep(0.2)
        for node in running:
            self.kill(node)
        for process in self._processes.values():
            process.wait(10)
        self._processes.clear()

    # --- what the cluster says ------------------------------------------------------------
    def brokers(self, timeout: float = 2.0, via: Node | None = None) -> set[int]:
        """Ids of the brokers a metadata request lists now (empty if nobody answers).

        `via`: ask that node alone. The others list a killed broker until its session times
        out, but a node answers on its own port only once it is a running broker again.
        """
        where = f"127.0.0.1:{via.port}" if via else self.bootstrap
        admin = AdminClient({"bootstrap.servers": where, "log_level": 0})
        try:
            return set(admin.list_topics(timeout=timeout).brokers)
        except KafkaException:
            return set()

    def ready(self, node: Node) -> bool:
        """The node answers on its own port, and lists every node as a broker."""
        return len(self.brokers(via=node)) == len(self.nodes)

    def leaders(self, topic: str) -> dict[int, int]:
        """Partition -> the node leading it."""
        return {p: meta.leader for p, meta in self._partitions(topic).items()}

    def in_sync(self, topic: str) -> dict[int, set[int]]:
        """Partition -> the nodes whose copy is in sync (the ISR)."""
        return {p: set(meta.isrs) for p, meta in self._partitions(topic).items()}

    def _partitions(self, topic: str) -> dict:
        admin = AdminClient({"bootstrap.servers": self.bootstrap, "log_level": 0})
        return admin.list_topics(topic, timeout=10).topics[topic].partitions

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not all(self.ready(n) for n in self.nodes):
            dead = [n.node_id for n in self.nodes if self.pid(n) is None]
            if dead:
                raise RuntimeError(f"Kafka node(s) {dead} exited: see {self.workdir}/node-*/")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the cluster did not list {len(self.nodes)} brokers in time")
            time.sleep(0.3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["up", "status", "kill", "stop"])
    parser.add_argument("dir", type=Path, help="the cluster's directory (made if missing)")
    parser.add_argument("node", type=int, nargs="?", help="kill: the node id (1..N)")
    parser.add_argument("--nodes", type=int, default=3, help="up, new cluster: how many nodes")
    parser.add_argument("--heap", default="256m", help="up: each JVM's -Xmx (default 256m)")
    args = parser.parse_args()
    cluster = KafkaCluster(args.dir, args.nodes, args.heap)
    if args.action == "up":
        cluster.start(detach=True)
    elif args.action == "stop":
        cluster.stop()
    elif args.action == "kill":
        cluster.kill(next(n for n in cluster.nodes if n.node_id == args.node))
    states = []
    for node in cluster.nodes:
        pid = cluster.pid(node)
        states.append("DOWN" if pid is None else "up" if cluster.ready(node) else "starting")
        print(f"node {node.node_id}  127.0.0.1:{node.port}  {states[-1]:8}  pid {pid or '-'}")
    print(f"KAFKA_BOOTSTRAP_SERVERS={cluster.bootstrap}")
    return 0 if args.action != "status" or set(states) == {"up"} else 1


if __name__ == "__main__":
    sys.exit(main())
