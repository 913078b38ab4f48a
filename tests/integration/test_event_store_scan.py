"""The store's full read in stored order (EventStore.scan, EventReader.all), and a replay of a
store whose stored order is not each stream's version order."""

import random
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from apps.accounts_query.application.replay import Replay
from apps.accounts_query.bootstrap import event_source
from apps.accounts_query.infrastructure.account_rows import MySqlAccountRows
from apps.accounts_query.infrastructure.statement_lines import MySqlStatementLines
from apps.accounts_query.models import Account, StatementLine
from apps.contract.account_events import UPCASTERS
from apps.eventstore.reading import EventReader
from apps.eventstore.records import StoredEvent
from apps.eventstore.store import EventStore, to_document
from apps.eventstore.upcasting import UpcasterChain

pytestmark = pytest.mark.usefixtures("event_store_db")

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def stream(account: str, length: int) -> list[StoredEvent]:
    opened = StoredEvent(
        event_id=str(uuid.uuid4()),
        aggregate_id=account,
        aggregate_type="BankAccount",
        version=1,
        event_type="AccountOpened",
        schema_version=2,
        data={"holder": "Ada", "account_type": "CURRENT", "opening_balance": "10.00"},
        timestamp=T0,
    )
    deposits = [
        StoredEvent(
            event_id=str(uuid.uuid4()),
            aggregate_id=account,
            aggregate_type="BankAccount",
            version=version,
            event_type="FundsDeposited",
            schema_version=1,
            data={"amount": "1.00", "balance": f"{9 + version}.00"},
            timestamp=T0 + timedelta(seconds=version),
        )
        for version in range(2, length + 1)
    ]
    return [opened, *deposits]


@pytest.fixture
def store():
    return EventStore(UpcasterChain(UPCASTERS))


def test_scan_reads_every_event_exactly_once_like_the_sorted_read(store):
    streams = [stream(str(uuid.uuid4()), n) for n in (1, 7, 13, 30)]
    for version in range(30):  # appended interleaved, as live traffic appends them
        for events in streams:
            if version < len(events):
                store.append(events[version])

    batches = list(store.scan(batch_size=8))

    assert [len(b) for b in batches] == [8] * 6 + [3]
    scanned = [e for batch in batches for e in batch]
    sorted_read = [e for batch in store.read_all(batch_size=8) for e in batch]
    assert Counter(e.key for e in scanned) == Counter(e.key for e in sorted_read)
    assert len(scanned) == len(set(e.key for e in scanned)) == 51
    assert sorted(scanned, key=lambda e: e.key) == sorted_read
    for events in streams:  # as appended: each stream in version order
        mine = [e.version for e in scanned if e.aggregate_id == events[0].aggregate_id]
        assert mine == list(range(1, len(events) + 1))


def test_the_reader_hands_out_each_scanned_event_once_as_a_message(store):
    for events in (stream(str(uuid.uuid4()), 5), stream(str(uuid.uuid4()), 4)):
        for event in events:
            store.append(event)
    messages = [m for batch in EventReader(store).all(batch_size=4) for m in batch]
    assert sorted((m["aggregate_id"], m["version"]) for m in messages) == sorted(
        (e.aggregate_id, e.version) for batch in store.read_all() for e in batch
    )


def test_scan_of_an_empty_store_yields_nothing(store):
    assert list(store.scan()) == []


@pytest.mark.django_db
def test_replay_folds_streams_stored_out_of_version_order(store):
    rng = random.Random(7)
    kept = [stream(str(uuid.uuid4()), n) for n in (3, 6, 9)]
    broken = stream(str(uuid.uuid4()), 4)
    documents = [to_document(e) for events in kept for e in events]
    documents += [to_document(e) for e in broken if e.version != 3]  # a gap at version 3
    rng.shuffle(documents)  # stored in no stream's version order
    store.events.insert_many(documents)

    result = Replay(
        MySqlAccountRows(), event_source(), MySqlStatementLines(), batch_size=4, write_every=5
    ).all()

    assert result.events == len(documents)
    assert result.accounts == 4
    assert result.rejected == 1  # version 4 of the broken stream: version 3 never came
    for events in kept:
        row = Account.objects.get(pk=events[0].aggregate_id)
        assert (row.version, str(row.balance)) == (
            len(events),
            events[-1].data.get("balance", "10.00"),
        )
        assert StatementLine.objects.filter(account_id=row.pk).count() == len(events)
    row = Account.objects.get(pk=broken[0].aggregate_id)
    assert (row.version, str(row.balance)) == (2, "11.00")
