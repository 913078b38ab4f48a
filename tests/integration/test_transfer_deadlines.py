"""The transfers' deadlines on the real document database (FerretDB): registered once, due by
time and partition, postponed, parked, forgotten; times come back timezone-aware UTC."""

from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4

import pytest

from apps.transfers.infrastructure.deadlines import MongoDeadlines

pytestmark = pytest.mark.usefixtures("event_store_db")
NOW = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)


def test_an_entry_is_registered_once_and_gets_its_partition_later():
    deadlines, transfer = MongoDeadlines(), uuid4()
    deadlines.register(transfer, NOW, None)
    deadlines.postpone(transfer, NOW + timedelta(seconds=5))
    # A later registration (the manager at REQUESTED) keeps the postponed `due`.
    deadlines.register(transfer, NOW, 3)
    deadlines.register(transfer, NOW, None)  # and no partition-less one takes it away
    entry = deadlines.entries.find_one({"_id": str(transfer)})
    assert entry == {
        "_id": str(transfer),
        "due": NOW + timedelta(seconds=5),
        "partition": 3,
        "attempts": 1,
    }
    assert entry["due"].tzinfo is not None


def test_due_by_time_and_partition():
    deadlines = MongoDeadlines()
    anyone, mine, theirs, later = (uuid4() for _ in range(4))
    deadlines.register(anyone, NOW - timedelta(seconds=2), None)
    deadlines.register(mine, NOW - timedelta(seconds=1), 1)
    # Another zone's clock says the same moment: stored and compared in UTC.
    deadlines.register(theirs, NOW.astimezone(timezone(timedelta(hours=2))), 2)
    deadlines.register(later, NOW + timedelta(microseconds=1000), 1)
    assert deadlines.due(None, NOW) == [anyone, mine, theirs]
    assert deadlines.due({1}, NOW) == [anyone, mine]
    assert deadlines.due({2, 7}, NOW) == [anyone, theirs]
    assert deadlines.due(set(), NOW) == [anyone]
    with pytest.raises(ValueError):
        deadlines.due(None, NOW.replace(tzinfo=None))


def test_park_and_forget():
    deadlines, parked, other = MongoDeadlines(), uuid4(), uuid4()
    deadlines.register(parked, NOW, 0)
    deadlines.register(other, NOW, 0)
    deadlines.park(parked, "dead-lettered after 5 attempts")
    deadlines.park(uuid4(), "no entry: nothing happens")
    assert deadlines.parked() == {parked: "dead-lettered after 5 attempts"}
    assert deadlines.due({0}, NOW) == [parked, other]  # a parked entry still fires
    deadlines.forget(parked)
    deadlines.forget(parked)
    assert (deadlines.due(None, NOW), deadlines.parked()) == ([other], {})
