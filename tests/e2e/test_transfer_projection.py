"""The transfers projection: events folded into TransferRecord rows, version-guarded; real
Kafka, MySQL and event store."""

import uuid
from datetime import datetime, timedelta

import pytest

from apps.eventstore.records import StoredEvent
from apps.transfers.infrastructure.transfer_projection import (
    TransferProjection,
    TransferRowsConsumer,
)
from apps.transfers.models import TransferRecord
from tests import wired
from tests.e2e.kafka_topics import fresh_consumer_settings, headers, produce, read_all, running
from tests.e2e.transfer_messages import keyed, requested, transfer_event
from tests.support import settled_totals, wait_until

pytestmark = pytest.mark.kafka


@pytest.fixture
def projection(transactional_db, event_store_db):
    settings = fresh_consumer_settings()
    topic, dead_letters = settings.topic, settings.dead_letter_topic
    consumer = TransferRowsConsumer(
        settings,
        TransferProjection(wired.get().event_store.reader.stream),
    )
    for running_consumer in running(consumer):
        yield topic, dead_letters, running_consumer


def row(transfer_id: uuid.UUID) -> TransferRecord | None:
    return TransferRecord.objects.filter(id=transfer_id).first()


def at_version(transfer_id: uuid.UUID, version: int) -> TransferRecord:
    return wait_until(
        lambda: (found := row(transfer_id)) is not None and found.version == version and found,
        what=f"transfer {transfer_id} at v{version}",
    )


def saga(transfer_id: uuid.UUID) -> list[dict]:
    return [
        requested(transfer_id, "20.00"),
        transfer_event(transfer_id, 2, "TransferDebited"),
        transfer_event(transfer_id, 3, "TransferCredited"),
        transfer_event(transfer_id, 4, "TransferCompleted"),
    ]


def test_events_in_order_fold_into_the_row(projection):
    topic, _, consumer = projection
    transfer_id = uuid.uuid4()
    events = saga(transfer_id)
    produce(topic, [keyed(events[0])])
    pending = at_version(transfer_id, 1)
    assert (pending.status, pending.amount, pending.completed_at) == ("PENDING", 20, None)
    assert pending.deadline == pending.created_at + timedelta(seconds=60)
    produce(topic, [keyed(e) for e in events[1:]])
    done = at_version(transfer_id, 4)
    assert done.status == "COMPLETED" and done.completed_at is not None
    assert settled_totals(consumer, applied=4)["skipped"] == 0


def test_a_duplicate_is_skipped_and_changes_nothing(projection):
    topic, _, consumer = projection
    transfer_id = uuid.uuid4()
    events = saga(transfer_id)[:2]
    produce(topic, [keyed(e) for e in events])
    before = at_version(transfer_id, 2)
    produce(topic, [keyed(e) for e in events])
    totals = settled_totals(consumer, applied=2, skipped=2)
    assert totals["gap_filled"] == 0
    after = row(transfer_id)
    assert (after.version, after.status, after.created_at) == (2, "PENDING", before.created_at)


def stored(event: dict) -> StoredEvent:
    return StoredEvent(
        event_id=event["event_id"],
        aggregate_id=event["aggregate_id"],
        aggregate_type="Transfer",
        version=event["version"],
        event_type=event["event_type"],
        schema_version=event["schema_version"],
        data=event["data"],
        timestamp=datetime.fromisoformat(event["timestamp"]),
    )


def test_a_gap_is_filled_from_the_event_store(projection):
    topic, _, consumer = projection
    transfer_id = uuid.uuid4()
    events = [
        requested(transfer_id),
        transfer_event(transfer_id, 2, "TransferDebited"),
        transfer_event(transfer_id, 3, "TransferCreditRefused", reason="account_closed"),
        transfer_event(transfer_id, 4, "TransferCompensated"),
        transfer_event(transfer_id, 5, "TransferFailed", reason="account_closed"),
    ]
    for event in events:
        wired.event_store().append(stored(event))
    produce(topic, [keyed(events[0]), keyed(events[3])])  # versions 2 and 3 never came
    compensated = at_version(transfer_id, 4)
    assert (compensated.status, compensated.reason) == ("PENDING", "account_closed")
    assert settled_totals(consumer, applied=2, gap_filled=2)
    produce(topic, [keyed(events[4])])
    failed = at_version(transfer_id, 5)
    assert (failed.status, failed.reason) == ("FAILED", "account_closed")


def test_a_gap_the_store_cannot_fill_is_parked_and_the_rest_goes_on(projection):
    topic, dead_letters, consumer = projection
    lost, fine = uuid.uuid4(), uuid.uuid4()
    produce(topic, [keyed(transfer_event(lost, 3, "TransferCredited")), keyed(requested(fine))])
    at_version(fine, 1)
    [letter] = read_all(dead_letters, 1)
    assert "the store lacks versions 1..2" in headers(letter)["error"]
    assert "(after 3 attempts)" in headers(letter)["error"]
    assert row(lost) is None
    assert settled_totals(consumer, parked=1)


def test_poison_on_the_transfer_topic_is_dead_lettered(projection):
    topic, dead_letters, consumer = projection
    transfer_id = uuid.uuid4()
    produce(topic, [(b"not-a-uuid", b"{}"), keyed(requested(transfer_id))])
    at_version(transfer_id, 1)
    [letter] = read_all(dead_letters, 1)
    assert headers(letter)["error"]
    assert settled_totals(consumer, dead_lettered=1)["parked"] == 0
