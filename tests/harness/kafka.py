"""Kafka for the tests and the bench: topics made and removed, and a private broker (or cluster)
a test may stop, freeze and start without disturbing anyone else.

The clusters are scripts/kafka_cluster.py's, as a user runs them; here they become context
managers that thaw every node before they stop it (a frozen JVM cannot act on SIGTERM).
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterable, Mapping
from pathlib import Path

from kernel.kafka_config import admin_config
from scripts.kafka_cluster import KafkaCluster

from .processes import Service


def create_topics(bootstrap: str, topics: Mapping[str, int]) -> None:
    """`topics`: name -> partitions (one copy each: the test broker is a single node)."""
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient(admin_config(bootstrap))
    wanted = [NewTopic(name, partitions, 1) for name, partitions in topics.items()]
    for future in admin.create_topics(wanted, request_timeout=30).values():
        future.result(30)


def delete_topics(bootstrap: str, prefix: str, groups: Iterable[str] = ()) -> None:
    """Every topic whose name starts with `prefix`, and consumer `groups` (absent ones too)."""
    from confluent_kafka.admin import AdminClient

    admin = AdminClient(admin_config(bootstrap))
    mine = [t for t in admin.list_topics(timeout=10).topics if t.startswith(prefix)]
    if mine:
        for future in admin.delete_topics(mine, request_timeout=30).values():
            with contextlib.suppress(Exception):  # already gone
                future.result()
    if groups := list(groups):
        for future in admin.delete_consumer_groups(groups, request_timeout=30).values():
            with contextlib.suppress(Exception):  # a group that never committed is absent
                future.result()


class Cluster(KafkaCluster, Service):
    """`size` nodes in `workdir`; started on entering the `with`, thawed and stopped on leaving."""

    def _signal(self, sig: signal.Signals) -> None:
        for node in self.nodes:
            if (pid := self.pid(node)) is not None:
                os.kill(pid, sig)

    def freeze(self) -> None:
        """SIGSTOP: its sockets stay open and its clients hang, as with a stalled machine."""
        self._signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self._signal(signal.SIGCONT)

    def stop(self, timeout: float = 10.0) -> None:
        """Thawed first; SIGKILL after `timeout` (a test's data is thrown away anyway)."""
        self.thaw()
        super().stop(timeout)


class PrivateKafka(Cluster):
    """One node: the shared broker's settings, on free ports, in `workdir`."""

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir, size=1, heap="384m")
