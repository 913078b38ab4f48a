"""Builds the process's event store once, with its publisher, from settings."""

from functools import cache

from django.conf import settings

from .publisher import KafkaPublisher
from .relay import Relay
from .store import EventStore


@cache
def publisher() -> KafkaPublisher:
    return KafkaPublisher(settings.KAFKA_BOOTSTRAP_SERVERS, settings.KAFKA_EVENTS_TOPIC)


@cache
def event_store() -> EventStore:
    return EventStore(publisher() if settings.EVENT_PUBLISHING else None)


def relay(grace_seconds: float | None = None) -> Relay:
    grace = settings.RELAY_GRACE_SECONDS if grace_seconds is None else grace_seconds
    return Relay(event_store(), publisher(), grace_seconds=grace)
