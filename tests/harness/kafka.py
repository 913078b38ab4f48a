"""Kafka for the tests and the bench: topics made and removed, and a private broker (or cluster)
a test may stop, freeze and start without disturbing anyone else.

The clusters are scripts/kafka_cluster.py's, as a user runs them; here they become context
managers that thaw every node before they stop it (a frozen JVM cannot act on SIGTERM).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from kernel.kafka_config import admin_config, security_config
from scripts.kafka_cluster import KafkaCluster, Node

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


class SaslKafka(PrivateKafka):
    """One node as docker-compose.yml runs Kafka: clients log in with SASL/SCRAM-SHA-512 on the
    one client listener, and StandardAuthorizer allows only what an ACL grants.

    `admin` (a super user, created when the storage is formatted) makes the other users
    (`add_user`) and their ACLs (`allow`). The controller listener stays PLAINTEXT on 127.0.0.1
    (KRaft cannot log in to it with SCRAM); it answers controller requests only.
    """

    mechanism = "SCRAM-SHA-512"

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir)
        secrets_file = self.workdir / "admin-password"
        if not secrets_file.exists():
            secrets_file.write_text(secrets.token_hex(16))
        self.admin_password = secrets_file.read_text()

    def login(self, user: str, password: str) -> dict[str, str]:
        """Client settings of `user` (as kernel/kafka_config.py's security_config gives them)."""
        return {
            "bootstrap.servers": self.bootstrap,
            **security_config("SASL_PLAINTEXT", self.mechanism, user, password),
        }

    def admin_login(self) -> dict[str, str]:
        return self.login("admin", self.admin_password)

    def _render(self, node: Node) -> str:
        jaas = (
            "org.apache.kafka.common.security.scram.ScramLoginModule required "
            f'username="admin" password="{self.admin_password}";'
        )
        wanted = {
            "listeners": f"SASL_PLAINTEXT://127.0.0.1:{node.port},"
            f"CONTROLLER://127.0.0.1:{node.controller_port}",
            "advertised.listeners": f"SASL_PLAINTEXT://127.0.0.1:{node.port}",
            "listener.security.protocol.map": "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
            "inter.broker.listener.name": "SASL_PLAINTEXT",
            "sasl.enabled.mechanisms": self.mechanism,
            "sasl.mechanism.inter.broker.protocol": self.mechanism,
            "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config": jaas,
            "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            # ANONYMOUS: the controller listener's principal (PLAINTEXT, 127.0.0.1 only).
            "super.users": "User:admin;User:ANONYMOUS",
            "allow.everyone.if.no.acl.found": "false",
        }
        lines = []
        for line in super()._render(node).splitlines():
            key = line.split("=", 1)[0].strip()
            lines.append(f"{key}={wanted.pop(key)}" if key in wanted else line)
        return "\n".join([*lines, *(f"{k}={v}" for k, v in wanted.items())]) + "\n"

    def _format(self, node: Node) -> subprocess.Popen | None:
        # The admin's SCRAM credential goes into the metadata log when the storage is made:
        # the broker itself logs in with it, before any other user exists.
        self.node_dir(node).mkdir(parents=True, exist_ok=True)
        self.config(node).write_text(self._render(node))
        if (self.node_dir(node) / "data" / "meta.properties").exists():
            return None
        scram = f"{self.mechanism}=[name=admin,password={self.admin_password}]"
        command = ["kafka.tools.StorageTool", "format", "-t", self.cluster_id]
        with (self.node_dir(node) / "format.log").open("ab") as out:
            return subprocess.Popen(
                self._java(node, *command, "-c", str(self.config(node)), "--add-scram", scram),
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def brokers(self, timeout: float = 2.0, via: Node | None = None) -> set[int]:
        from confluent_kafka import KafkaException
        from confluent_kafka.admin import AdminClient

        where = f"127.0.0.1:{via.port}" if via else self.bootstrap
        admin = AdminClient({**self.admin_login(), "bootstrap.servers": where, "log_level": 0})
        try:
            return set(admin.list_topics(timeout=timeout).brokers)
        except KafkaException:
            return set()

    def add_user(self, user: str, password: str) -> None:
        from confluent_kafka.admin import (
            AdminClient,
            ScramCredentialInfo,
            ScramMechanism,
            UserScramCredentialUpsertion,
        )

        admin = AdminClient({**self.admin_login()})
        info = ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192)
        upsert = UserScramCredentialUpsertion(user, info, password.encode())
        for future in admin.alter_user_scram_credentials([upsert]).values():
            future.result(30)

    def allow(self, user: str, grants: Iterable[tuple[str, str, str, str]]) -> None:
        """`grants`: (resource type, name, pattern, operation), e.g.
        ("TOPIC", "techbank.", "PREFIXED", "WRITE"); each an ALLOW ACL for `user` from anywhere."""
        from confluent_kafka.admin import (
            AclBinding,
            AclOperation,
            AclPermissionType,
            AdminClient,
            ResourcePatternType,
            ResourceType,
        )

        admin = AdminClient({**self.admin_login()})
        bindings = [
            AclBinding(
                ResourceType[kind],
                name,
                ResourcePatternType[pattern],
                f"User:{user}",
                "*",
                AclOperation[operation],
                AclPermissionType.ALLOW,
            )
            for kind, name, pattern, operation in grants
        ]
        for future in admin.create_acls(bindings, request_timeout=30).values():
            future.result(30)
