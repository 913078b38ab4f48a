"""(3b) as_of_latency: GET .../as-of/ folded in-process, on histories of 1 and 10,000 events.

Histories are inserted straight into the event store with what the application itself would
have left: the latest snapshot and a checkpoint every CHECKPOINT_EVERY versions. Timed:
the dispatch of GetAccountAsOf (the view adds only query parsing and JSON) for
- version 1 of a 1-event account (the floor: the target event, one account's snapshot);
- version 9,999 of the 10,000-event account: the farthest from a checkpoint (CHECKPOINT_EVERY
  - 1 events past one), so the slowest version there is;
- `at` in the middle of the 10,000 events: a binary search over versions by timestamp.
Every read is a lookup by `_id` (a range on `_id` scans the collection on FerretDB: see
apps/accounts_command/infrastructure/account_timeline.py), so the cost is lookups, not n.
Also reported once (full runs only), as information: a fold of 1,000 events with no
checkpoint (cold), what a stream older than checkpoints costs until build_checkpoints runs.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any
from uuid import UUID

from .backends import reset_event_store, store_size
from .harness import Bench
from .report import figure, log, percentile
from .streams import T0, new_ids, snapshot_state, stream

LONG = 10_000


def build(size: int, checkpoints: bool = True) -> str:
    from apps.accounts_command.infrastructure.account_timeline import CHECKPOINT_EVERY
    from apps.eventstore.documents import CheckpointDocument
    from apps.eventstore.records import event_key
    from apps.eventstore.store import to_document

    from .wired import event_store

    store = event_store()
    account = new_ids(1)[0]
    events = stream(account, size)
    for start in range(0, size, 5000):
        store.events.insert_many([to_document(e) for e in events[start : start + 5000]])
    state = snapshot_state(events[-1], events[0])
    store.snapshots.insert_one(
        {"_id": account, "aggregate_type": "BankAccount", "version": size, "state": state}
    )
    if checkpoints:
        kept = [
            {
                "_id": event_key(account, v),
                "aggregate_type": "BankAccount",
                "version": v,
                "state": snapshot_state(events[v - 1], events[0]),
            }
            for v in range(CHECKPOINT_EVERY, size + 1, CHECKPOINT_EVERY)
        ]
        if kept:
            CheckpointDocument._get_collection().insert_many(kept)
    return account


def timed(query: Any) -> tuple[float, Any]:
    from .wired import command_dispatcher

    started = time.perf_counter()
    result = command_dispatcher().dispatch(query)
    return time.perf_counter() - started, result


def p50_of(query: Any, expected_version: int, samples: int, warmup: int) -> float:
    times = []
    for index in range(warmup + samples):
        elapsed, result = timed(query)
        assert result.version == expected_version, (result, expected_version)
        if index >= warmup:
            times.append(elapsed)
    return percentile(times, 50) * 1000


def measure(bench: Bench) -> dict[str, Any]:
    from apps.accounts_command.application.as_of import GetAccountAsOf

    samples, warmup = (20, 3) if bench.quick else (200, 20)
    reset_event_store()
    one = UUID(build(1))
    long = UUID(build(LONG))
    total = store_size()
    middle = T0 + timedelta(milliseconds=LONG // 2, microseconds=500)
    p50 = {
        "1_event_version_1": p50_of(GetAccountAsOf(one, version=1), 1, samples, warmup),
        "10k_events_version_9999": p50_of(
            GetAccountAsOf(long, version=LONG - 1), LONG - 1, samples, warmup
        ),
        "10k_events_at_middle": p50_of(GetAccountAsOf(long, at=middle), LONG // 2, samples, warmup),
    }
    for name, value in p50.items():
        log(f"as-of {name}: p50 {value:.2f} ms (store: {total} events)")
    cold_ms = 0.0
    if not bench.quick:  # seconds of lookups: left out of the two-minute quick run
        cold_account = UUID(build(1000, checkpoints=False))
        cold_ms = timed(GetAccountAsOf(cold_account, version=999))[0]
        log(f"as-of 1,000 events without checkpoints: {cold_ms * 1000:.0f} ms once")
    reset_event_store()
    return figure(
        p50["10k_events_version_9999"],
        p50["1_event_version_1"],
        "ms p50 10k vs 1 event",
        p50_ms={k: round(v, 3) for k, v in p50.items()},
        cold_fold_1000_events_ms=round(cold_ms * 1000, 1),
        store_events=total,
        samples=samples,
        note="value = p50 of version 9,999 of 10,000 (the farthest from a checkpoint), limit = "
        "p50 of version 1 of a 1-event account, same store",
    )
