"""A second, real Kafka broker that a test may stop and start without disturbing others."""

import socket
import subprocess
from pathlib import Path

from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient

from tests.support import wait_until

ROOT = Path(__file__).resolve().parents[2]
LIBS = ROOT / ".services" / "kafka" / "libs"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateKafka:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port, self.controller_port = free_port(), free_port()
        self.bootstrap = f"127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        template = (ROOT / "services" / "kafka" / "server.properties").read_text()
        config = (
            template.replace("@DATA@", str(workdir / "data"))
            .replace("127.0.0.1:9092", self.bootstrap)
            .replace("127.0.0.1:9093", f"127.0.0.1:{self.controller_port}")
        )
        self.config = workdir / "server.properties"
        self.config.write_text(config)
        self._java(
            [
                "kafka.tools.StorageTool",
                "format",
                "-t",
                "TechBankTestCluster001",
                "-c",
                str(self.config),
            ],
            check=True,
        )

    def _java(self, args: list[str], check: bool = False) -> subprocess.CompletedProcess:
        return subprocess.run(self._command(args), check=check, capture_output=True)

    def _command(self, args: list[str]) -> list[str]:
        return [
            "java",
            "-Xmx384m",
            f"-Dkafka.logs.dir={self.workdir}",
            "-Dlog4j.configuration=file:" + str(ROOT / "services/kafka/log4j.properties"),
            "-cp",
            f"{LIBS}/*",
            *args,
        ]

    def start(self) -> None:
        self.process = subprocess.Popen(
            self._command(["kafka.Kafka", str(self.config)]),
            stdout=(self.workdir / "broker.out").open("ab"),
            stderr=subprocess.STDOUT,
        )
        admin = AdminClient({"bootstrap.servers": self.bootstrap, "log_level": 0})
        wait_until(
            lambda: self._answers(admin),
            timeout=60,
            interval=0.2,
            what="the private Kafka broker to answer",
        )

    def _answers(self, admin: AdminClient) -> bool:
        assert self.process and self.process.poll() is None, "private broker exited"
        try:
            return bool(admin.list_topics(timeout=1).brokers)
        except KafkaException:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
