"""Which Kafka topic carries which aggregate's events, and every aggregate's upcasters: what
each composition root hands the event store (the store itself names no aggregate), and the
topics `ensure_topics` creates.

Transfers and users have their own topics: the account read side then never sees a transfer message
(anything but a BankAccount's event on the accounts topic is poison), and the transfers'
consumers read nothing but transfers. Plain Python like the rest of the contract: the topic
names come in from the caller's settings (any object with the KAFKA_* attributes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import account_events, transfer_events, user_events
from .transfer_events import AGGREGATE_TYPE as TRANSFER
from .user_events import AGGREGATE_TYPE as USER

Upcasters = dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]]


def aggregate_topics(settings: Any) -> dict[str, str]:
    """Aggregate type -> topic; any other type's events go to KAFKA_EVENTS_TOPIC."""
    return {
        TRANSFER: settings.KAFKA_TRANSFER_EVENTS_TOPIC,
        USER: settings.KAFKA_USER_EVENTS_TOPIC,
    }


def topic_partitions(settings: Any) -> dict[str, int]:
    """Every topic the system uses, with the partitions it is created with."""
    return {
        settings.KAFKA_EVENTS_TOPIC: settings.KAFKA_EVENTS_PARTITIONS,
        settings.KAFKA_TRANSFER_EVENTS_TOPIC: settings.KAFKA_EVENTS_PARTITIONS,
        settings.KAFKA_USER_EVENTS_TOPIC: settings.KAFKA_EVENTS_PARTITIONS,
        # One partition: a dead letter is named by its offset there (manage.py dead_letters).
        settings.KAFKA_DEAD_LETTER_TOPIC: 1,
    }


def upcasters() -> Upcasters:
    """Every aggregate's upcasters, for the store's one chain (event types are unique)."""
    return {**account_events.UPCASTERS, **transfer_events.UPCASTERS, **user_events.UPCASTERS}
