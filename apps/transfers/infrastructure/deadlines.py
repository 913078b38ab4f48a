"""The transfers' deadlines in MongoDB: one small document per transfer in flight.

FerretDB serves only `_id` lookups from an index, so `due` is a filter over the collection:
cheap, because an entry lives only while its transfer is in flight (deleted once final).
Times are timezone-aware UTC (the connection is tz_aware).
"""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from mongoengine import DateTimeField, Document, IntField, StringField
from pymongo.collection import Collection


class TransferDeadline(Document):
    """When a transfer in flight is due, and which manager member fires it."""

    id = StringField(primary_key=True)  # the transfer id
    due = DateTimeField(required=True)  # its deadline, or its next try after a failure
    partition = IntField()  # its events' partition; absent: any member fires it
    attempts = IntField(required=True, default=0)  # failed reactions to it when it fired
    parked = StringField()  # why it was parked (for operators), if it was; it still fires

    meta = {"collection": "transfer_deadlines", "auto_create_index": False}


class MongoDeadlines:
    @property
    def entries(self) -> Collection:
        return TransferDeadline._get_collection()

    def register(self, transfer_id: UUID, due: datetime, partition: int | None) -> None:
        # An upsert: racing registrations (the request, a redelivered message) make one entry,
        # and an existing entry keeps its `due` (a postponed retry stays postponed). No null is
        # written (FerretDB drops them from $setOnInsert): an absent partition or parked is None.
        update: dict[str, Any] = {"$setOnInsert": {"due": _utc(due), "attempts": 0}}
        if partition is not None:
            update["$set"] = {"partition": partition}
        self.entries.update_one({"_id": str(transfer_id)}, update, upsert=True)

    def forget(self, transfer_id: UUID) -> None:
        self.entries.delete_one({"_id": str(transfer_id)})

    def due(self, partitions: set[int] | None, now: datetime) -> list[UUID]:
        query: dict[str, Any] = {"due": {"$lte": _utc(now)}}
        if partitions is not None:
            # None also matches an entry without the field: no partition yet, anyone's.
            query["partition"] = {"$in": [*sorted(partitions), None]}
        found = self.entries.find(query, {"_id": 1}).sort("due", 1)
        return [UUID(entry["_id"]) for entry in found]

    def postpone(self, transfer_id: UUID, until: datetime) -> None:
        self.entries.update_one(
            {"_id": str(transfer_id)}, {"$set": {"due": _utc(until)}, "$inc": {"attempts": 1}}
        )

    def park(self, transfer_id: UUID, reason: str) -> None:
        self.entries.update_one({"_id": str(transfer_id)}, {"$set": {"parked": reason}})

    def parked(self) -> dict[UUID, str]:
        """The parked transfers still in flight and why (for the console and the CLI)."""
        found = self.entries.find({"parked": {"$type": "string"}}, {"parked": 1})
        return {UUID(entry["_id"]): entry["parked"] for entry in found}


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("A deadline must be timezone-aware")
    return moment.astimezone(UTC)
