"""(3) history_latency: one deposit's latency on accounts with 1, 100, 1,000 and 10,000 events.

Histories are inserted straight into the event store (well-formed documents, versions 1..n) with
the snapshot the application itself would have left after its last command. Every sample runs
a deposit through the dispatcher, then puts the account back to exactly n events (deletes the
new event, restores the snapshot) outside the timed region, so every sample sees n events.
Snapshots make the load O(1): one snapshot read and one probe past it, whatever n.

All four accounts are in the store while any is timed: on FerretDB 1.24/SQLite every `_id`
lookup scans its collection (bench/README.md), so latency grows with the store's size, and the
sizes are only comparable at one store size. The 1-event account is also timed in an almost
empty store, to show that effect.

Also reported, as information: a cold load (no snapshot), which reads all n events.
"""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any
from uuid import UUID

from .backends import reset_event_store, store_size
from .harness import Bench
from .report import figure, log, percentile
from .streams import new_ids, snapshot_state, stream

SIZES = [1, 100, 1_000, 10_000]
COLD_SIZES = {True: [1, 100], False: [1, 100, 1_000]}  # by quick


def build(size: int) -> tuple[str, dict[str, Any]]:
    from apps.eventstore.store import to_document

    from .wired import event_store

    store = event_store()
    account = new_ids(1)[0]
    events = stream(account, size)
    for start in range(0, size, 5000):
        store.events.insert_many([to_document(e) for e in events[start : start + 5000]])
    snapshot = {
        "_id": account,
        "aggregate_type": "BankAccount",
        "version": size,
        "state": snapshot_state(events[-1], events[0]),
    }
    store.snapshots.insert_one(snapshot)
    return account, snapshot


def sample(account: str, size: int, snapshot: dict[str, Any] | None) -> float:
    from apps.accounts_command.domain.commands import DepositFunds
    from apps.eventstore.records import event_key

    from .wired import event_store, uncached_dispatcher

    store = event_store()
    started = time.perf_counter()
    # Uncached: the figure is what loading a long history costs (the bench rewinds streams).
    result = uncached_dispatcher().dispatch(DepositFunds(UUID(account), Decimal("1.00")))
    elapsed = time.perf_counter() - started
    assert result.version == size + 1, result
    store.events.delete_one({"_id": event_key(account, size + 1)})
    if snapshot is None:
        store.snapshots.delete_one({"_id": account})
    else:
        store.snapshots.replace_one({"_id": account}, snapshot)
    return elapsed


def measure(bench: Bench) -> dict[str, Any]:
    from .wired import event_store

    samples, warmup = (20, 3) if bench.quick else (200, 20)
    reset_event_store()
    # The 1-event account first, timed while the store is still almost empty...
    accounts = {SIZES[0]: build(SIZES[0])}
    small_store = [sample(accounts[1][0], 1, accounts[1][1]) for _ in range(warmup + samples)]
    small_store_p50 = percentile(small_store[warmup:], 50) * 1000
    # ...then every size, all present at once: the same store size for each.
    for size in SIZES[1:]:
        accounts[size] = build(size)
    total = store_size()
    p50: dict[int, float] = {}
    p99: dict[int, float] = {}
    for size in SIZES:
        account, snapshot = accounts[size]
        for _ in range(warmup):
            sample(account, size, snapshot)
        times = [sample(account, size, snapshot) for _ in range(samples)]
        p50[size], p99[size] = percentile(times, 50) * 1000, percentile(times, 99) * 1000
        log(
            f"history {size:>6} events: p50 {p50[size]:.2f} ms, p99 {p99[size]:.2f} ms "
            f"(store: {total} events)"
        )
    # Cold: no snapshot, so the load reads every event (once; the command then saves one).
    # Each read is a scan on FerretDB/SQLite, so the large sizes would take minutes: skipped.
    cold: dict[int, float] = {}
    for size in COLD_SIZES[bench.quick]:
        account, snapshot = accounts[size]
        event_store().snapshots.delete_one({"_id": account})
        cold[size] = sample(account, size, snapshot) * 1000
        log(f"history {size:>6} events: cold load {cold[size]:.0f} ms")
    reset_event_store()
    largest, smallest = SIZES[-1], SIZES[0]
    return figure(
        p50[largest],
        p50[smallest],
        "ms p50 10k vs 1 event",
        p50_ms={str(k): round(v, 3) for k, v in p50.items()},
        p99_ms={str(k): round(v, 3) for k, v in p99.items()},
        store_events=total,
        one_event_account_p50_ms_in_almost_empty_store=round(small_store_p50, 3),
        cold_load_ms={str(k): round(v, 1) for k, v in cold.items()},
        samples_per_size=samples,
        note="value = p50 at 10,000 events, limit = p50 at 1 event, both measured with all "
        "four accounts in the store; ratio <= 2 means flat",
    )
