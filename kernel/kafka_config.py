"""The Kafka client settings of every producer, consumer and admin client, in one place.

Plain dicts for confluent_kafka's clients: the kernel imports no Kafka library, so the event
store, the apps and operations may all build their clients from here. Each caller tunes only
what is its own (a group id, a timeout, a linger); what must hold for all is decided here once:
producers are idempotent and wait for every in-sync replica, consumers commit by hand,
librdkafka logs errors only, and every client logs in as the process's Kafka user (SASL, when
the settings give one: `use_security`, called once by techbank/settings/credentials.py).
"""

from __future__ import annotations

import uuid
from typing import Any

ClientConfig = dict[str, Any]

# Syslog levels: 3 is ERROR. librdkafka's INFO and WARNING lines repeat what our logs say.
LOG_LEVEL = 3
SILENT = 0  # for a probe that reports its own failure: librdkafka's would be noise

# How every client of this process connects: empty for PLAINTEXT, else the SASL login.
_security: ClientConfig = {}


def use_security(
    protocol: str = "PLAINTEXT", mechanism: str = "", username: str = "", password: str = ""
) -> None:
    """Sets the login of every client built from here on (the process's settings call it once).

    `protocol`: PLAINTEXT, SASL_PLAINTEXT or SASL_SSL; with SASL, `mechanism` (SCRAM-SHA-512,
    SCRAM-SHA-256 or PLAIN), `username` and `password` are the process's Kafka user.
    """
    _security.clear()
    _security.update(security_config(protocol, mechanism, username, password))


def security_config(
    protocol: str = "PLAINTEXT", mechanism: str = "", username: str = "", password: str = ""
) -> ClientConfig:
    """The client settings of that login (nothing for PLAINTEXT, librdkafka's default)."""
    if protocol.upper() == "PLAINTEXT":
        return {}
    config: ClientConfig = {"security.protocol": protocol}
    if protocol.upper().startswith("SASL"):
        if not username:
            raise ValueError(f"Kafka security protocol {protocol} needs a SASL user name")
        config |= {
            "sasl.mechanism": mechanism,
            "sasl.username": username,
            "sasl.password": password,
        }
    return config


def security() -> ClientConfig:
    """This process's login settings, for a client built by hand (a copy)."""
    return dict(_security)


def producer_config(
    bootstrap_servers: str,
    *,
    message_timeout_ms: int | None = None,
    linger_ms: int | None = None,
) -> ClientConfig:
    """Idempotent, acks from every in-sync replica: an acknowledged message is never lost.

    `message_timeout_ms`: how long a message may wait for its acknowledgement before it is given
    up (None: librdkafka's five minutes). `linger_ms`: how long to gather a batch.
    """
    config: ClientConfig = {
        **_security,
        "bootstrap.servers": bootstrap_servers,
        "enable.idempotence": True,
        "acks": "all",
        "log_level": LOG_LEVEL,
    }
    if message_timeout_ms is not None:
        config["message.timeout.ms"] = message_timeout_ms
    if linger_ms is not None:
        config["linger.ms"] = linger_ms
    return config


def consumer_config(
    bootstrap_servers: str, group_id: str, *, max_poll_interval_ms: int = 300_000
) -> ClientConfig:
    """A group member that commits by hand, after its handling committed."""
    return {
        **_security,
        "bootstrap.servers": bootstrap_servers,
        "group.id": group_id,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "session.timeout.ms": 10000,
        "heartbeat.interval.ms": 2000,
        # Kafka evicts a member that does not poll for this long; polling goes on in outages.
        "max.poll.interval.ms": max_poll_interval_ms,
        "log_level": LOG_LEVEL,
    }


def reader_config(
    bootstrap_servers: str, purpose: str, *, partition_eof: bool = False
) -> ClientConfig:
    """A reader that assigns partitions itself and commits nothing, so reading moves nothing.

    The client wants a group id all the same: a fresh one, never joined nor committed under.
    `partition_eof`: the reader is told when it reaches the end of a partition.
    """
    config: ClientConfig = {
        **_security,
        "bootstrap.servers": bootstrap_servers,
        "group.id": f"techbank-{purpose}-{uuid.uuid4().hex[:8]}",
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
        "log_level": LOG_LEVEL,
    }
    if partition_eof:
        config["enable.partition.eof"] = True
    return config


def admin_config(
    bootstrap_servers: str, *, timeout_ms: int | None = None, log_level: int = LOG_LEVEL
) -> ClientConfig:
    """An admin client (topics, metadata, group offsets).

    `timeout_ms` bounds each socket operation and each connection attempt, for a caller with a
    deadline of its own (a readiness probe against a frozen broker).
    """
    config: ClientConfig = {
        **_security,
        "bootstrap.servers": bootstrap_servers,
        "log_level": log_level,
    }
    if timeout_ms is not None:
        config["socket.timeout.ms"] = timeout_ms
        config["socket.connection.setup.timeout.ms"] = timeout_ms
    return config
