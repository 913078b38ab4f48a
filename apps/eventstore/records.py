"""What the store keeps: one immutable record per event, in a framework-free shape."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class StoredEvent:
    event_id: str
    aggregate_id: str
    aggregate_type: str
    version: int
    event_type: str
    schema_version: int
    # JSON-compatible: money is a string such as "10.50", never a float.
    data: dict[str, Any]
    timestamp: datetime
    # Where the event came from, e.g. {"request_id": ...}; travels as Kafka headers, so a
    # re-send by the relay carries it too.
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return event_key(self.aggregate_id, self.version)


def event_key(aggregate_id: str, version: int) -> str:
    """The event's `_id`: one stream's keys sort by version, and a key exists only once.

    FerretDB serves equality on `_id` from an index but scans for any other filter, so
    every hot read in this store is a lookup of a key built here.
    """
    return f"{aggregate_id}:{version:010d}"


@dataclass(frozen=True)
class Snapshot:
    aggregate_id: str
    aggregate_type: str
    version: int
    state: dict[str, Any]
