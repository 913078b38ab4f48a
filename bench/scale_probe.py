"""`python -m bench.scale_probe large|empty N`: p50 of N deposits through the in-process
dispatcher (bench/wired.py), in a child whose MONGODB_URL names the store to measure.

Both load every account from the store (the aggregate cache is off), so they compare alike.
large: one deposit on each of N accounts of the scale data set (bench/scale_data.py), then
every trace of them is taken away again (the event at version 11, the snapshot put back at
version 10), so the data set stays exactly what its marker says. empty: N accounts are opened
first (not timed) in an empty store, then one deposit on each is timed. Prints JSON.
"""

from __future__ import annotations

import json
import sys
import time
from decimal import Decimal
from typing import Any
from uuid import UUID

import django


def deposits(ids: list[UUID]) -> list[float]:
    from apps.accounts_command.domain.commands import DepositFunds

    from .wired import uncached_dispatcher

    # Without the aggregate cache: the empty store's accounts were just opened by this process
    # and would be cached, the data set's would not; the figure is what the store's size costs.
    dispatcher = uncached_dispatcher()
    times = []
    for account_id in ids:
        started = time.perf_counter()
        dispatcher.dispatch(DepositFunds(account_id, Decimal("1.00")))
        times.append(time.perf_counter() - started)
    return times


def large(count: int) -> tuple[list[float], list[str]]:
    from apps.eventstore.records import event_key

    from .scale_data import EVENTS_PER_ACCOUNT, account_ids
    from .wired import event_store, publisher

    chosen = account_ids()[:: len(account_ids()) // count][:count]
    store = event_store()
    # One lookup each: `$in` would make FerretDB read the whole collection.
    before = {account: store.snapshots.find_one({"_id": account}) for account in chosen}
    try:
        times = deposits([UUID(i) for i in chosen])
    finally:
        publisher().flush(30)
        for account in chosen:  # by `_id`: the one filter FerretDB serves from an index
            store.events.delete_one({"_id": event_key(account, EVENTS_PER_ACCOUNT + 1)})
            store.snapshots.replace_one({"_id": account}, before[account])
    return times, chosen


def empty(count: int) -> tuple[list[float], list[str]]:
    from apps.accounts_command.domain.commands import OpenAccount

    from .wired import command_dispatcher, publisher

    dispatcher = command_dispatcher()
    ids = []
    for n in range(count):
        ids.append(
            dispatcher.dispatch(OpenAccount(f"Probe {n}", "SAVINGS", Decimal(100))).account_id
        )
    times = deposits(ids)
    publisher().flush(30)
    return times, [str(i) for i in ids]


def main() -> None:
    django.setup()
    from .report import percentile

    kind, count = sys.argv[1], int(sys.argv[2])
    deposits([])  # builds the wiring before anything is timed
    times, ids = (large if kind == "large" else empty)(count)
    report: dict[str, Any] = {
        "p50_ms": round(percentile(times, 50) * 1000, 2),
        "p99_ms": round(percentile(times, 99) * 1000, 2),
        "samples": len(times),
        "accounts": ids,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
