"""The Kafka client settings of every producer and consumer, in one place.

Each process tunes only what is its own (a group id, a linger); what must hold for all (acks,
idempotence, hand-committed offsets, the quiet librdkafka log) is decided here once.
"""

from __future__ import annotations

import uuid
from typing import Any

# librdkafka logs at ERROR and above only: its INFO lines repeat what our logs say.
LOG_LEVEL = 3


def producer_config(bootstrap_servers: str, **overrides: Any) -> dict[str, Any]:
    """Idempotent, acks from every in-sync replica: an acknowledged message is never lost."""
    return {
        "bootstrap.servers": bootstrap_servers,
        "enable.idempotence": True,
        "acks": "all",
        "log_level": LOG_LEVEL,
        **overrides,
    }


def consumer_config(
    bootstrap_servers: str, group_id: str, max_poll_interval_ms: int = 300_000, **overrides: Any
) -> dict[str, Any]:
    """A group member that commits by hand, after its handling committed."""
    return {
        "bootstrap.servers": bootstrap_servers,
        "group.id": group_id,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "session.timeout.ms": 10000,
        "heartbeat.interval.ms": 2000,
        # Kafka evicts a member that does not poll for this long; polling goes on in outages.
        "max.poll.interval.ms": max_poll_interval_ms,
        "log_level": LOG_LEVEL,
        **overrides,
    }


def reader_config(bootstrap_servers: str, purpose: str, **overrides: Any) -> dict[str, Any]:
    """A reader that assigns partitions itself: the client wants a group id, none is used."""
    return {
        "bootstrap.servers": bootstrap_servers,
        "group.id": f"techbank-{purpose}-{uuid.uuid4().hex[:8]}",
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
        "log_level": LOG_LEVEL,
        **overrides,
    }
