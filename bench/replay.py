"""(6) replay: `manage.py replay_events` over a store of complete streams, and its peak memory.

The event store is emptied and filled with exactly the replayed events (well-formed documents,
inserted in a valid append order), the read models are emptied, then replay_events runs as a
child process. The rate is the one it reports itself (its own clock, from the first read to
the last write, without Django's start-up); its peak memory is the child's ru_maxrss (wait4).

Raw limit: a pymongo scan of the same events (keeping each account's first and last document)
plus one bulk upsert of the resulting rows (apps/accounts_query/infrastructure/account_rows.py).
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from datetime import UTC
from decimal import Decimal
from typing import Any
from uuid import UUID

from operations.progress_report import ProgressReport
from tests.harness.processes import PY, ROOT

from .backends import reset_event_store, truncate_read_models
from .harness import Bench
from .report import figure, log
from .streams import interleave, new_ids, stream


def size(quick: bool) -> tuple[int, int]:
    """(accounts, events per account)."""
    return (100, 50) if quick else (1000, 100)


def fill(accounts: int, length: int) -> int:
    from apps.eventstore.store import to_document

    from .wired import event_store

    reset_event_store()
    events = event_store().events
    batch: list[dict[str, Any]] = []
    with ProgressReport("replay: filling the store", accounts * length, unit="events") as report:
        for event in interleave([stream(a, length) for a in new_ids(accounts)]):
            batch.append(to_document(event))
            if len(batch) == 5000:
                events.insert_many(batch, ordered=True)
                report.advance(len(batch))
                batch = []
        if batch:
            events.insert_many(batch, ordered=True)
            report.advance(len(batch))
    return report.done


def ours(bench: Bench) -> dict[str, Any]:
    truncate_read_models()
    return run_replay(bench, bench.env, "replay-events")


def run_replay(bench: Bench, env: dict[str, str], name: str) -> dict[str, Any]:
    """`manage.py replay_events` in a child with `env`: its own rate, and its peak RSS."""
    log_path = bench.out / f"{name}.log"
    with log_path.open("w") as log_file:
        started = time.perf_counter()
        process = subprocess.Popen(
            [PY, "manage.py", "replay_events"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=log_file,
            text=True,
        )
        try:
            stdout = process.stdout.read() if process.stdout else ""
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
        except BaseException:
            process.kill()
            raise
        wall = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"replay_events failed ({process.returncode}); see {log_path}")
    match = re.search(r"replayed (\d+) events .* in ([\d.]+)s \((\d+) events/s\)", stdout)
    if not match:
        raise RuntimeError(f"unexpected replay_events output: {stdout!r}")
    return {
        "events": int(match[1]),
        "rate": float(match[3]),
        "seconds": float(match[2]),
        "wall_seconds": round(wall, 2),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "output": stdout.strip(),
    }


def raw(bench: Bench) -> float:
    from django.db import transaction

    from apps.accounts_query.domain.account_fold import AccountRow
    from apps.accounts_query.infrastructure.account_rows import MySqlAccountRows

    from .wired import event_store

    rows = MySqlAccountRows()

    truncate_read_models()
    first: dict[str, dict[str, Any]] = {}
    last: dict[str, dict[str, Any]] = {}
    count = 0
    t0 = time.perf_counter()
    for doc in event_store().events.find({}, batch_size=2000):
        count += 1
        if doc["version"] == 1:
            first[doc["aggregate_id"]] = doc
        last[doc["aggregate_id"]] = doc
    result = []
    for account, doc in last.items():
        opened = first[account]
        result.append(
            AccountRow(
                id=UUID(account),
                holder=opened["data"]["holder"],
                account_type="SAVINGS",
                balance=Decimal(doc["data"].get("balance", opened["data"]["opening_balance"])),
                status="OPEN",
                opened_at=opened["timestamp"].replace(tzinfo=UTC),
                closed_at=None,
                version=doc["version"],
                updated_at=doc["timestamp"].replace(tzinfo=UTC),
            )
        )
    with transaction.atomic():
        rows.upsert(result)
    elapsed = time.perf_counter() - t0
    truncate_read_models()
    return count / elapsed


def measure(bench: Bench) -> dict[str, Any]:
    from apps.accounts_query.models import Account

    accounts, length = size(bench.quick)
    total = fill(accounts, length)
    log(f"replay: {total} events across {accounts} accounts in the event store")
    limit = raw(bench)
    result = ours(bench)
    complete = Account.objects.filter(version=length).count() == accounts
    log(
        f"replay: {result['rate']:.0f} events/s (raw {limit:.0f}/s), peak "
        f"{result['peak_rss_mib']} MiB, rows complete: {complete}"
    )
    reset_event_store()
    truncate_read_models()
    return figure(
        result["rate"],
        limit,
        "events/s",
        events=total,
        accounts=accounts,
        replayed=result["events"],
        rows_complete=complete,
        peak_rss_mib=result["peak_rss_mib"],
        replay_seconds=result["seconds"],
        wall_seconds=result["wall_seconds"],
        output=result["output"],
    )
