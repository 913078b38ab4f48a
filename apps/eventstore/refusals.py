"""Which unique key refused an insert: the stream's version (a lost race), or the event id (an
event stored once ever), or none (this very event, stored by an earlier try).

The server does not say which index it was, so the event's own `_id` tells: one more lookup,
on the refused path only.
"""

from pymongo.collection import Collection

from kernel.concurrency import ConcurrencyError, EventAlreadyStored

from .records import StoredEvent


def refusal(events: Collection, event: StoredEvent) -> Exception | None:
    found = events.find_one({"_id": event.key}, {"event_id": 1, "event_type": 1})
    if found is None:
        return EventAlreadyStored(event.event_id)
    # Two events may share an id on purpose (a step and its fence): the type tells them apart.
    if (found["event_id"], found["event_type"]) == (event.event_id, event.event_type):
        return None
    if found["event_id"] == event.event_id:
        return EventAlreadyStored(event.event_id)
    return ConcurrencyError(event.aggregate_id, event.version)
