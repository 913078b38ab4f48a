"""The invariant a fault test ends with, checked against the real servers.

For every account: the read model row equals a fold of its events in the event store; the money
in the store equals the opening balance plus the accepted commands (each answered 200) and
nothing else; every stored event reached the topic (duplicates allowed there, nothing missing,
nothing extra); no version is applied twice (the row's version is the stream's length).

The read side's own code computes the expected rows (event source + projection fold), so the
check is as strict as a replay. Those imports are the only ones to adapt when the read side's
modules move.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

from apps.accounts_query.bootstrap import event_source
from apps.accounts_query.domain.account_fold import AccountRow, apply
from apps.accounts_query.domain.event_message import EventMessage
from apps.accounts_query.infrastructure.account_rows import to_row
from apps.accounts_query.models import Account
from kernel.kafka_messages import position
from tests.support import wait_until


@dataclass
class Ledger:
    """What the clients were told. Only a 200 counts: a refused command must store nothing."""

    opening: dict[UUID, Decimal] = field(default_factory=dict)
    accepted: dict[UUID, list[Decimal]] = field(default_factory=lambda: defaultdict(list))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def opened(self, account_id: UUID, balance: Decimal) -> None:
        with self._lock:
            self.opening[account_id] = balance

    def record(self, account_id: UUID, signed_amount: Decimal) -> None:
        with self._lock:
            self.accepted[account_id].append(signed_amount)

    def versions(self) -> dict[UUID, int]:
        """Each account's stream length: its opening and one event per accepted command."""
        with self._lock:
            return {a: 1 + len(self.accepted[a]) for a in self.opening}

    def balance(self, account_id: UUID) -> Decimal:
        with self._lock:
            return self.opening[account_id] + sum(self.accepted[account_id], Decimal("0.00"))


def stored_streams() -> dict[UUID, list[EventMessage]]:
    streams: dict[UUID, list[EventMessage]] = defaultdict(list)
    for batch in event_source().read_all(1000):
        for event in batch:
            streams[event.aggregate_id].append(event)
    return streams


def fold(events: list[EventMessage]) -> AccountRow:
    row = None
    for event in sorted(events, key=lambda e: e.version):
        row = apply(row, event)
    assert row is not None
    return row


def projected_versions(using: str = "default") -> dict[UUID, int]:
    """`using`: the database alias of the read model (a fault test's private MySQL)."""
    return dict(Account.objects.using(using).values_list("id", "version"))


def wait_until_projected(ledger: Ledger, timeout: float = 60.0, using: str = "default") -> None:
    expected = ledger.versions()
    try:
        wait_until(
            lambda: projected_versions(using) == expected,
            timeout=timeout,
            interval=0.2,
            what="the read model to reach every accepted command",
        )
    except AssertionError:
        behind = {a: (v, expected.get(a)) for a, v in projected_versions(using).items()}
        raise AssertionError(f"read model (row version, expected) {behind}") from None


def wait_projected_at_least(events: int, log: object, using: str = "default") -> None:
    """A worker (logging to `log`) has projected `events` events or more: it is under way."""
    wait_until(
        lambda: sum(projected_versions(using).values()) >= events,
        timeout=60,
        interval=0.2,
        what=f"the worker to project (log: {log})",
    )


def assert_store_and_read_model(
    ledger: Ledger, using: str = "default"
) -> dict[UUID, list[EventMessage]]:
    """The store holds exactly the accepted commands; each row is the fold of its stream."""
    streams = stored_streams()
    assert set(streams) == set(ledger.opening), "the store's accounts are not the opened ones"
    rows = {a.id: to_row(a) for a in Account.objects.using(using).all()}
    assert set(rows) == set(streams)
    for account_id, events in streams.items():
        versions = sorted(e.version for e in events)
        assert versions == list(range(1, len(events) + 1)), f"{account_id}: versions {versions}"
        assert len(events) == ledger.versions()[account_id], f"{account_id}: events != commands"
        expected = fold(events)
        assert expected.balance == ledger.balance(account_id), f"{account_id}: money differs"
        assert rows[account_id] == expected, f"{account_id}: row is not the fold of its events"
    return streams


def topic_contents(bootstrap: str, topic: str) -> Counter[tuple[UUID, int]]:
    """(account, version) of every message on `topic`, read up to its end as of now."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"invariant-{uuid.uuid4().hex[:8]}",
            "enable.auto.commit": False,
            "log_level": 0,
        }
    )
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        ends = {
            p: consumer.get_watermark_offsets(TopicPartition(topic, p), 10)[1] for p in partitions
        }
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
        seen: Counter[tuple[UUID, int]] = Counter()
        done = {p: end == 0 for p, end in ends.items()}
        deadline = time.monotonic() + 30
        while not all(done.values()):
            assert time.monotonic() < deadline, f"could not read {topic} to its end: {done}"
            for message in consumer.consume(1000, timeout=2):
                assert message.error() is None, message.error()
                value = json.loads(message.value() or b"")
                seen[(UUID(value["aggregate_id"]), value["version"])] += 1
                _, partition, offset = position(message)
                if offset + 1 >= ends[partition]:
                    done[partition] = True
        return seen
    finally:
        consumer.close()


def assert_topic_has_every_event(
    bootstrap: str, topic: str, streams: dict[UUID, list[EventMessage]], timeout: float = 60.0
) -> Counter[tuple[UUID, int]]:
    """Every stored event is on the topic (the relay may still be re-sending a few)."""
    stored = {(a, e.version) for a, events in streams.items() for e in events}
    seen: Counter[tuple[UUID, int]] = Counter()

    def complete() -> bool:
        nonlocal seen
        seen = topic_contents(bootstrap, topic)
        return stored <= set(seen)

    try:
        wait_until(complete, timeout=timeout, interval=0.5, what="every stored event on the topic")
    except AssertionError:
        raise AssertionError(f"not on the topic: {sorted(stored - set(seen))[:20]}") from None
    assert set(seen) == stored, f"on the topic but not stored: {set(seen) - stored}"
    return seen


def message_count(bootstrap: str, topic: str) -> int:
    """How many messages `topic` holds (e.g. a dead-letter topic that must stay empty)."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "count", "log_level": 0})
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        offsets = [consumer.get_watermark_offsets(TopicPartition(topic, p), 10) for p in partitions]
        return sum(high - low for low, high in offsets)
    finally:
        consumer.close()


def assert_invariant(
    ledger: Ledger,
    bootstrap: str,
    topic: str,
    projected_within: float = 60.0,
    using: str = "default",
) -> dict[UUID, list[EventMessage]]:
    """What a fault test ends with: the read model reaches every accepted command (within
    `projected_within` s), store and read model agree with the ledger, and every stored event
    is on `topic`. Returns the stored streams."""
    wait_until_projected(ledger, timeout=projected_within, using=using)
    streams = assert_store_and_read_model(ledger, using=using)
    assert_topic_has_every_event(bootstrap, topic, streams)
    return streams
