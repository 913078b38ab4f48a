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
    # Not part of the event's meaning: where it came from (request id, ...), carried along.
    metadata: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def key(self) -> str:
        return event_key(self.aggregate_id, self.version)


def event_key(aggregate_id: str, version: int) -> str:
    """The event's `_id`: one stream's keys sort by version, and a key exists only once.

    FerretDB serves equality on `_id` from an index but scans for any other filter, so
    every hot read in this store is a lookup of a key built here. The version is padded to
    ten digits so that keys sort as versions do.
    """
    return f"{aggregate_id}:{version:010d}"


def parse_event_key(key: str) -> tuple[str, int]:
    """The (aggregate id, version) an `event_key` was built from."""
    aggregate_id, _, version = key.rpartition(":")
    return aggregate_id, int(version)


@dataclass(frozen=True)
class Snapshot:
    aggregate_id: str
    aggregate_type: str
    version: int
    state: dict[str, Any]
