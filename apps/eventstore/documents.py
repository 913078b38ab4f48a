"""The MongoDB collections of the event store, as mongoengine documents."""

from datetime import UTC, datetime
from typing import Any

from mongoengine import (
    DateTimeField,
    DictField,
    Document,
    IntField,
    StringField,
)

from .records import StoredEvent
from .upcasting import UpcasterChain


class EventDocument(Document):
    """One stored event. Inserted once, never updated or deleted."""

    id = StringField(primary_key=True)  # records.event_key(aggregate_id, version)
    event_id = StringField(required=True)
    aggregate_id = StringField(required=True)
    aggregate_type = StringField(required=True)
    version = IntField(required=True, min_value=1)
    event_type = StringField(required=True)
    schema_version = IntField(required=True, min_value=1)
    data = DictField()
    timestamp = DateTimeField(required=True)
    metadata = DictField()  # request id, idempotency key: where the event came from

    meta = {
        "collection": "events",
        "auto_create_index": False,
        "indexes": [
            # The database, not a read-then-write check, decides who wins a race.
            {"fields": ["aggregate_id", "version"], "unique": True, "name": "stream"},
            # An event is stored once ever: an id derived from what caused the event (a
            # transfer's step) makes a repeat of that step fail here, whatever state decided it.
            {"fields": ["event_id"], "unique": True, "name": "event_id"},
            # Finds the event of a request that died before writing its idempotent answer.
            {"fields": ["metadata.idempotency_key"], "name": "idempotency_key"},
        ],
    }


class SnapshotDocument(Document):
    """The latest state of one aggregate: a cache of its events, rebuilt from them if lost."""

    id = StringField(primary_key=True)  # the aggregate id
    aggregate_type = StringField(required=True)
    version = IntField(required=True, min_value=1)
    state = DictField()

    meta = {"collection": "snapshots", "auto_create_index": False}


class PendingPublication(Document):
    """An event not yet acknowledged by Kafka.

    Written before the event itself and deleted once the broker acknowledges it, so a
    process that dies anywhere in between leaves a marker that the relay follows.
    """

    id = StringField(primary_key=True)  # a random token, so a failed append blocks nobody
    event_key = StringField(required=True)
    created_at = DateTimeField(required=True)

    meta = {"collection": "pending_publications", "auto_create_index": False}


class IdempotencyKey(Document):
    """A command request's idempotency key (hashed with its client) and the answer it got."""

    id = StringField(primary_key=True)
    fingerprint = StringField(required=True)  # of the request: method, path, body
    token = StringField(required=True)  # which request holds the key
    state = StringField(required=True)  # running, answered or failed
    at = DateTimeField(required=True)
    status = IntField()
    body = DictField()  # answers written before body_json
    body_json = StringField()  # the answer's body as JSON text (its keys may be any text)
    headers = DictField()

    meta = {"collection": "idempotency_keys", "auto_create_index": False}


class CheckpointDocument(Document):
    """An aggregate's state at a version that is a multiple of some interval, kept for good:
    reading the state as of an old version starts from the nearest one at or below it."""

    id = StringField(primary_key=True)  # records.event_key(aggregate_id, version)
    aggregate_type = StringField(required=True)
    version = IntField(required=True, min_value=1)
    state = DictField()

    meta = {"collection": "checkpoints", "auto_create_index": False}


# The stored shape of an event (what EventDocument declares), built without mongoengine's
# per-document cost on the hot path.
def to_document(event: StoredEvent) -> dict[str, Any]:
    document = {
        "_id": event.key,
        "event_id": event.event_id,
        "aggregate_id": event.aggregate_id,
        "aggregate_type": event.aggregate_type,
        "version": event.version,
        "event_type": event.event_type,
        "schema_version": event.schema_version,
        "data": event.data,
        "timestamp": event.timestamp,
    }
    if event.metadata:
        document["metadata"] = event.metadata
    return document


def from_document(doc: dict[str, Any], upcasters: UpcasterChain) -> StoredEvent:
    """The event a stored document holds, upcast to its event type's current schema."""
    schema, data = upcasters.upcast(doc["event_type"], doc["schema_version"], doc["data"])
    timestamp: datetime = doc["timestamp"]
    return StoredEvent(
        event_id=doc["event_id"],
        aggregate_id=doc["aggregate_id"],
        aggregate_type=doc["aggregate_type"],
        version=doc["version"],
        event_type=doc["event_type"],
        schema_version=schema,
        data=data,
        timestamp=timestamp if timestamp.tzinfo else timestamp.replace(tzinfo=UTC),
        metadata=doc.get("metadata") or {},
    )
