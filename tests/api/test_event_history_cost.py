"""Issue 18, item 10: a page of an account's event history is bounded (default 50, at most
100), and what it costs the event store does not grow with the page where the store serves a
range from an index: one query for a page of 1 and for a page of 100, counted on the wire
(pymongo's command monitoring)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import mongoengine
import pytest
from django.conf import settings
from pymongo import monitoring

from apps.eventstore.store import MongoEventStore
from tests.harness.swapped_settings import connect_event_store
from tests.integration.stored_events import account_stream


class Commands(monitoring.CommandListener):
    """Every command the event store's client sends, by name."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.names.append(event.command_name)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None: ...

    def failed(self, event: monitoring.CommandFailedEvent) -> None: ...


@pytest.fixture
def commands(event_store_db: None) -> Iterator[Commands]:
    """The event store's connection, watched, for the test."""
    listener = Commands()
    mongoengine.disconnect()
    mongoengine.connect(
        host=settings.MONGODB_URL,
        tz_aware=True,
        connect=False,
        uuidRepresentation="standard",
        serverSelectionTimeoutMS=5000,
        event_listeners=[listener],
    )
    try:
        yield listener
    finally:
        connect_event_store(settings.MONGODB_URL)


@pytest.fixture
def account(event_store_db: None) -> str:
    """An account with 150 events in the store."""
    account_id = str(uuid.uuid4())
    store = MongoEventStore()
    for event in account_stream(account_id, 150):
        store.append(event)
    return account_id


def round_trips(client, commands: Commands, url: str) -> tuple[int, list[int]]:
    before = len(commands.names)
    response = client.get(url)
    assert response.status_code == 200, response.content
    return len(commands.names) - before, [e["version"] for e in response.json()["events"]]


@pytest.mark.parametrize(
    ("range_reads", "cost_of_1", "cost_of_100"), [(True, 1, 1), (False, 2, 101)]
)
def test_a_page_costs_one_query_whatever_its_size_where_the_store_serves_ranges(
    teller, account, commands, swapped_settings, range_reads, cost_of_1, cost_of_100
):
    # True: MongoDB (and `auto` there); False: `auto` on FerretDB, one `_id` lookup per event
    # of the page and one more to know whether another page follows.
    swapped_settings(EVENT_STORE_RANGE_READS=range_reads)
    url = f"/api/v1/accounts/{account}/events/"
    one, versions = round_trips(teller, commands, f"{url}?limit=1")
    assert versions == [1]
    hundred, versions = round_trips(teller, commands, f"{url}?after=20&limit=100")
    assert versions == list(range(21, 121))
    assert (one, hundred) == (cost_of_1, cost_of_100), commands.names[-hundred:]
    if range_reads:
        assert commands.names[-1] == "find"
    # The last page: fewer than asked, and no next.
    last, versions = round_trips(teller, commands, f"{url}?after=120&limit=100")
    assert versions == list(range(121, 151))
    assert last == (1 if range_reads else 31)


def test_auto_reads_ranges_unless_the_server_is_ferretdb(event_store_db):
    info = mongoengine.get_connection().admin.command("buildInfo")
    assert MongoEventStore(range_reads=None).range_reads is ("ferretdbVersion" not in info)


def test_a_page_is_50_events_by_default_and_at_most_100(teller, account):
    url = f"/api/v1/accounts/{account}/events/"
    body = teller.get(url).json()
    assert [e["version"] for e in body["events"]] == list(range(1, 51))
    assert body["next"].endswith(f"{url}?after=50&limit=50")
    assert len(teller.get(f"{url}?limit=100").json()["events"]) == 100
    for too_many in ("101", "1000"):
        refused = teller.get(f"{url}?limit={too_many}")
        assert refused.status_code == 400, refused.content
        assert refused.json()["code"] == "invalid_input"
        assert "limit" in refused.json()["errors"]
