"""A second, real Kafka broker that a test may stop and start without disturbing others."""

from pathlib import Path

from scripts.kafka_cluster import KafkaCluster, free_port

__all__ = ["PrivateKafka", "free_port"]


class PrivateKafka(KafkaCluster):
    """A one-node cluster: the shared broker's settings, on free ports, in `workdir`."""

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir, size=1, heap="384m")
