"""Checkpoints: an aggregate's state at chosen versions, never replaced by later ones.

The snapshot (store.py) holds only the latest state, which does not help to read an old one.
A checkpoint is keyed like the event it follows (records.event_key), so finding the one at a
given version is a lookup by `_id`, the one read FerretDB serves from an index.
"""

from __future__ import annotations

from contextlib import suppress

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from .documents import CheckpointDocument
from .records import Snapshot, event_key


class Checkpoints:
    @property
    def collection(self) -> Collection:
        return CheckpointDocument._get_collection()

    def get(self, aggregate_id: str, version: int) -> Snapshot | None:
        doc = self.collection.find_one({"_id": event_key(aggregate_id, version)})
        if doc is None:
            return None
        return Snapshot(aggregate_id, doc["aggregate_type"], doc["version"], doc["state"])

    def save(self, snapshot: Snapshot) -> None:
        # The state after a version never changes, so the first writer's copy is as good.
        with suppress(DuplicateKeyError):
            self.collection.insert_one(
                {
                    "_id": event_key(snapshot.aggregate_id, snapshot.version),
                    "aggregate_type": snapshot.aggregate_type,
                    "version": snapshot.version,
                    "state": snapshot.state,
                }
            )
