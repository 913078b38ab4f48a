"""A second, real Kafka broker that a test may stop, freeze and start without disturbing others."""

import os
import signal
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from confluent_kafka.admin import AdminClient, NewTopic
from django.conf import settings

from kernel.kafka_config import admin_config
from scripts.kafka_cluster import KafkaCluster, free_port

__all__ = ["PrivateKafka", "free_port", "serving"]


class PrivateKafka(KafkaCluster):
    """A one-node cluster: the shared broker's settings, on free ports, in `workdir`."""

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir, size=1, heap="384m")


@contextmanager
def serving(workdir: Path, topics: Mapping[str, int]) -> Iterator[PrivateKafka]:
    """A private broker with `topics` (name -> partitions), used meanwhile by this process (its
    settings and the wired web side) and the children it starts; thawed and stopped after."""
    from tests import wired

    kafka = PrivateKafka(workdir)
    old = settings.KAFKA_BOOTSTRAP_SERVERS
    try:
        kafka.start()
        settings.KAFKA_BOOTSTRAP_SERVERS = kafka.bootstrap
        admin = AdminClient(admin_config(kafka.bootstrap))
        created = admin.create_topics([NewTopic(n, p, 1) for n, p in topics.items()])
        for future in created.values():
            future.result(30)
        wired.rewire(kafka_bootstrap_servers=kafka.bootstrap)
        yield kafka
    finally:
        for node in kafka.nodes:
            if (pid := kafka.pid(node)) is not None:
                os.kill(pid, signal.SIGCONT)  # a frozen JVM cannot act on SIGTERM
        kafka.stop(timeout=10)
        settings.KAFKA_BOOTSTRAP_SERVERS = old
        wired.rewire()
