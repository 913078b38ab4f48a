"""The event store's factory builds each part when a process first asks for it, and only then;
the metrics reach the store and the relay as the callbacks handed in (Observers)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from apps.eventstore.bootstrap import EventStoreSettings, build
from apps.eventstore.observers import Observers
from apps.eventstore.outbox import Outbox
from apps.eventstore.recorder import EventRecorder
from apps.eventstore.records import StoredEvent
from apps.eventstore.relay import Relay
from apps.eventstore.store import MongoEventStore
from tests.integration.stored_events import make_event, new_id


def built(parts: object) -> set[str]:
    return {name for name in ("store", "outbox", "publisher", "recorder") if name in vars(parts)}


def test_the_reader_alone_builds_the_store_and_nothing_else():
    # The replay process: it reads, so it gets no outbox and no Kafka publisher.
    parts = build(EventStoreSettings.from_django())
    assert parts.reader is parts.reader
    assert built(parts) == {"store"}
    parts.close()  # closes what was built, builds nothing
    assert built(parts) == {"store"}


def test_a_recorder_without_publishing_builds_no_publisher():
    parts = build(EventStoreSettings.from_django(publishing=False))
    assert parts.recorder.publisher is None
    assert built(parts) == {"store", "outbox", "recorder"}


def test_a_recorder_with_publishing_publishes_with_the_one_publisher():
    parts = build(EventStoreSettings.from_django(publishing=True))
    assert parts.recorder.publisher is parts.publisher
    assert parts.recorder.store is parts.store


class FakePublisher:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def publish(self, event: StoredEvent, on_delivered: Callable[[], None]) -> None:
        self.sent.append(event.key)
        on_delivered()

    def flush(self, timeout: float = 30.0) -> int:
        return 0


@pytest.mark.usefixtures("event_store_db")
def test_every_append_is_reported_to_the_observer_with_its_seconds():
    heard: list[float] = []
    store = MongoEventStore(observers=Observers(appended=heard.append))
    store.append(make_event(new_id(), 1))
    store.append_all([make_event(new_id(), 1), make_event(new_id(), 1)])
    assert len(heard) == 3
    assert all(0 <= seconds < 30 for seconds in heard)
    assert heard[1] == heard[2]  # a batch: each waited for the whole round trip


@pytest.mark.usefixtures("event_store_db")
def test_the_relay_reports_the_backlog_and_what_it_sent_again():
    backlog: list[tuple[int, float]] = []
    resent: list[int] = []
    observers = Observers(
        relay_resent=resent.append, outbox_backlog=lambda n, age: backlog.append((n, age))
    )
    store, outbox = MongoEventStore(), Outbox(500, 3600.0)
    EventRecorder(store, outbox, publisher=None).record(make_event(new_id(), 1))
    publisher = FakePublisher()
    relay = Relay(store, outbox, publisher, grace_seconds=0, observers=observers)

    assert relay.run_once() == 1
    assert relay.run_once() == 0

    assert resent == [1, 0]
    assert [n for n, _ in backlog] == [1, 0]
    assert backlog[0][1] >= 0 and backlog[1][1] == 0.0
    assert len(publisher.sent) == 1
