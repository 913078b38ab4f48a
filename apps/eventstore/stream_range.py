"""A stream's range (read_stream) in one query, where the server serves it from an index.

MongoDB does, from the unique `stream` index on aggregate_id and version. FerretDB on SQLite
does not: it answers any filter but `_id` equality by reading the whole collection (2.8 s per
query at 100,000 events, against 0.5 ms per lookup), so there a range is one `_id` lookup per
version (interface.read_by_versions). `serves_ranges` tells which, by asking the server once
(FerretDB names itself in buildInfo).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pymongo.collection import Collection

from .records import StoredEvent


def serves_ranges(events: Collection) -> bool:
    """Whether the server behind `events` answers a range query from an index."""
    info = events.database.client.admin.command("buildInfo")
    return "ferretdbVersion" not in info


def read_range(
    events: Collection,
    aggregate_id: str,
    after_version: int,
    limit: int | None,
    from_document: Callable[[dict[str, Any]], StoredEvent],
) -> list[StoredEvent]:
    """The stream's events after `after_version`, in version order, up to the first gap."""
    versions: dict[str, int] = {"$gt": after_version}
    if limit is not None:
        if limit <= 0:
            return []
        versions["$lte"] = after_version + limit
    cursor = events.find({"aggregate_id": aggregate_id, "version": versions}).sort("version", 1)
    if limit is not None:
        cursor = cursor.limit(limit).batch_size(limit)  # the whole page in one answer
    found: list[StoredEvent] = []
    for doc in cursor:
        if doc["version"] != after_version + len(found) + 1:
            break  # the first gap ends the stream, as for the lookups
        found.append(from_document(doc))
    return found
