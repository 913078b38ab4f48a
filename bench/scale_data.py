"""The scale figure's data set: 1,000,000 events over 100,000 accounts, made once, kept.

Every event is decided by the BankAccount aggregate and stored through the event codec and the
store's document shape, so the store holds exactly what the application would have written:
events keyed by `_id`, a snapshot per account, the checkpoint at version 10 (the temporal
query's), no outbox markers (every event counts as published). They are inserted with
unordered `insert_many` in chunks of accounts, version 1 of the chunk first, then version 2, ...
(a valid append order). A marker document says which data set the store holds; a run finds it
and skips the load. The data set lives in its own Mongo database, never dropped by the harness.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from operations.progress_report import ProgressReport

from .report import log

ACCOUNTS = 100_000
EVENTS_PER_ACCOUNT = 10
SEED = 20251127
# Bump when the generator changes: a store holding another version is loaded again.
VERSION = 1
HOLDERS = 33_334  # about three accounts per holder, like bench/read_rows.py
CHUNK = 5_000  # accounts generated and inserted together
INSERT_BATCH = 10_000
T0 = datetime(2024, 1, 1, tzinfo=UTC)
MARKER = "bench_scale"  # a collection of its own: nothing of the application reads it
OTHER_EVENTS = 1_000  # the bench's own User events a kept data set may hold


@dataclass(frozen=True)
class Expected:
    accounts: int = ACCOUNTS
    events: int = ACCOUNTS * EVENTS_PER_ACCOUNT

    def marker(self) -> dict[str, Any]:
        return {
            "_id": "dataset",
            "version": VERSION,
            "seed": SEED,
            "accounts": self.accounts,
            "events": self.events,
            "events_per_account": EVENTS_PER_ACCOUNT,
        }


def holder(index: int) -> str:
    return f"Holder {index % HOLDERS}"


def cents(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low, high)).scaleb(-2)


def account_ids(accounts: int = ACCOUNTS) -> list[str]:
    """The data set's account ids, in the order they were opened (seeded: the same every run)."""
    rng = random.Random(SEED)
    return [str(UUID(int=rng.getrandbits(128), version=4)) for _ in range(accounts)]


def histories(accounts: int) -> Iterator[tuple[list[Any], Any]]:
    """Per account: its stored events (versions 1..10) and its final state, decided by the
    aggregate: an opening, then deposits and withdrawals the rules allow."""
    from apps.accounts_command.domain.account import BankAccount
    from apps.accounts_command.infrastructure.event_codec import to_stored

    rng = random.Random(SEED + 1)
    for index, account_id in enumerate(account_ids(accounts)):
        opened = T0 + timedelta(seconds=index)
        account = BankAccount.open(
            UUID(account_id),
            holder(index),
            "SAVINGS" if index % 2 else "CURRENT",
            cents(rng, 0, 1_000_000),
            opened,
        )
        for version in range(2, EVENTS_PER_ACCOUNT + 1):
            now = opened + timedelta(minutes=version)
            amount = cents(rng, 1, 50_000)
            if rng.random() < 0.4 and amount <= account.balance:
                account.withdraw(amount, now)
            else:
                account.deposit(amount, now)
        yield [to_stored(e) for e in account.pull_pending_events()], account.snapshot()


def documents(accounts: int) -> Iterator[tuple[list[dict], list[dict], list[dict]]]:
    """(events, snapshots, checkpoints) documents per chunk of accounts."""
    from apps.accounts_command.infrastructure.account_timeline import CHECKPOINT_EVERY
    from apps.accounts_command.infrastructure.repository import to_snapshot
    from apps.eventstore.records import event_key
    from apps.eventstore.store import to_document

    streams: list[list[Any]] = []
    snapshots: list[dict] = []
    checkpoints: list[dict] = []
    for events, state in histories(accounts):
        streams.append(events)
        snapshot = to_snapshot(state)
        body = {
            "aggregate_type": snapshot.aggregate_type,
            "version": snapshot.version,
            "state": snapshot.state,
        }
        snapshots.append({"_id": snapshot.aggregate_id, **body})
        if snapshot.version % CHECKPOINT_EVERY == 0:
            checkpoints.append({"_id": event_key(snapshot.aggregate_id, snapshot.version), **body})
        if len(streams) == CHUNK:
            yield (
                [to_document(s[v]) for v in range(EVENTS_PER_ACCOUNT) for s in streams],
                (snapshots),
                checkpoints,
            )
            streams, snapshots, checkpoints = [], [], []
    if streams:
        yield (
            [to_document(s[v]) for v in range(EVENTS_PER_ACCOUNT) for s in streams],
            (snapshots),
            checkpoints,
        )


def store_holds(db: Any, expected: Expected) -> bool:
    """The marker says the data set is complete, and the collections' counts agree."""
    marker = db[MARKER].find_one({"_id": "dataset"})
    if marker is None or {k: marker.get(k) for k in expected.marker()} != expected.marker():
        return False
    # Each run registers the bench's API client through this store too (create_api_client: a
    # User stream, an event or two a run): a few events beyond the data set's are no damage.
    events = count(db, "events")
    return (
        expected.events <= events <= expected.events + OTHER_EVENTS
        and count(db, "snapshots") == expected.accounts
    )


def count(db: Any, collection: str) -> int:
    stats = list(db[collection].aggregate([{"$collStats": {"count": {}}}]))
    return sum(s.get("count", 0) for s in stats)


def load(db: Any, expected: Expected) -> float:
    """Drops whatever the database holds and loads the data set; returns the seconds taken."""
    from apps.eventstore.documents import (
        CheckpointDocument,
        EventDocument,
        IdempotencyKey,
        PendingPublication,
        SnapshotDocument,
    )

    started = time.perf_counter()
    for name in db.list_collection_names():
        db.drop_collection(name)
    # The application's indexes first (as `migrate` makes them): the load pays for them too.
    for document in (
        EventDocument,
        SnapshotDocument,
        PendingPublication,
        IdempotencyKey,
        CheckpointDocument,
    ):
        for spec in document._meta.get("index_specs") or []:
            fields = spec["fields"]
            options = {k: v for k, v in spec.items() if k != "fields"}
            db[document._meta["collection"]].create_index(fields, **options)
    # The total is the data set's, known before the first insert.
    with ProgressReport("scale: loading", expected.events, unit="events") as report:
        for events, snapshots, checkpoints in documents(expected.accounts):
            for start in range(0, len(events), INSERT_BATCH):
                db.events.insert_many(events[start : start + INSERT_BATCH], ordered=False)
                report.advance(len(events[start : start + INSERT_BATCH]))
            db.snapshots.insert_many(snapshots, ordered=False)
            if checkpoints:
                db.checkpoints.insert_many(checkpoints, ordered=False)
    log(f"scale: loaded {report.done:,} events")
    db[MARKER].replace_one({"_id": "dataset"}, expected.marker(), upsert=True)
    return time.perf_counter() - started
