"""Translates the User aggregate's events to the store's records and back.

Names and schema versions come from the event contract (apps/contract/user_events.py); roles
are a JSON list in the store and on Kafka, a tuple in the domain.
"""

from dataclasses import fields
from typing import Any
from uuid import UUID

from apps.contract.user_events import AGGREGATE_TYPE, EVENTS
from apps.eventstore.records import StoredEvent

from ..domain import events as ev

EVENT_CLASSES: dict[str, type[ev.UserEvent]] = {
    cls.__name__: cls
    for cls in (
        ev.UserRegistered,
        ev.ApiClientRegistered,
        ev.RolesChanged,
        ev.ProfileUpdated,
        ev.PasswordChanged,
        ev.UserSuspended,
        ev.UserReinstated,
        ev.UserRemoved,
        ev.ClientSecretRotated,
        ev.ApiClientRevoked,
    )
}
BASE_FIELDS = frozenset(f.name for f in fields(ev.UserEvent))


def to_stored(event: ev.UserEvent, metadata: dict[str, str] | None = None) -> StoredEvent:
    data = {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in vars(event).items()
        if name not in BASE_FIELDS
    }
    name = type(event).__name__
    return StoredEvent(
        event_id=str(event.event_id),
        aggregate_id=str(event.aggregate_id),
        aggregate_type=AGGREGATE_TYPE,
        version=event.version,
        event_type=name,
        schema_version=EVENTS[name].schema_version,
        data=data,
        timestamp=event.timestamp,
        metadata=metadata or {},
    )


def from_stored(stored: StoredEvent) -> ev.UserEvent:
    data: dict[str, Any] = {
        name: tuple(value) if isinstance(value, list) else value
        for name, value in stored.data.items()
    }
    return EVENT_CLASSES[stored.event_type](
        event_id=UUID(stored.event_id),
        aggregate_id=UUID(stored.aggregate_id),
        version=stored.version,
        timestamp=stored.timestamp,
        **data,
    )
