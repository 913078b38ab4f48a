"""scale: 1,000,000 events over 100,000 accounts, in the event store and the read model.

The data set (bench/scale_data.py) lives in its own databases, kept between runs: Mongo
`techbank_bench_scale`, MySQL `test_techbank_bench_scale`. It is loaded when its marker is
missing or wrong (slow, once), and every run then times:

- the raw limit: one pymongo cursor, `find()` in stored order (as replay reads), 1M events;
- `manage.py replay_events` rebuilding the read model from empty (value; peak RSS by wait4);
- one deposit's p50 through the in-process dispatcher at 1M events vs an empty store
  (bench/scale_probe.py, a child per store);
- GET by id p50 at 100,000 accounts vs a read model of a few hundred, and the list's page 1,
  page 1,000 (reached through `next` links), holder and balance-range p50s, one sequential
  client through gunicorn (1 worker), with MySQL's plans for the list's queries.

value = replay events/s, limit = the raw scan's events/s (target ratio >= 1); every other
target is in `targets`, each with its value, limit and whether it is met. Skipped in --quick.
"""

from __future__ import annotations

import json
import time
from typing import Any

from tests.harness.processes import PY, ROOT
from tests.harness.tokens import token_for
from tests.harness.urls import with_database

from .backends import mysql, reset_event_store, truncate_read_models
from .harness import Bench
from .replay import run_replay
from .report import figure, log
from .scale_data import Expected, account_ids, load, store_holds
from .scale_http import plans, reads

MONGO_DB = "techbank_bench_scale"
MYSQL_DB = "test_techbank_bench_scale"  # the bench user's grant covers test_techbank%
SAMPLES = 200
PROBES = 200  # accounts deposited to (and read) per store
REPLAY_FLOOR = 15_000  # events/s
LIST_MS = 20.0
SIZE_RATIO = 1.2  # at 1M events vs empty


def scale_env(bench: Bench) -> dict[str, str]:
    return {
        **bench.env,
        "DATABASE_URL": with_database(bench.mysql_url, MYSQL_DB),
        "MIGRATION_DATABASE_URL": with_database(bench.mysql_url, MYSQL_DB),
        "MONGODB_URL": with_database(bench.mongo_url, MONGO_DB),
    }


def raw_scan(url: str) -> dict[str, float]:
    import pymongo

    with pymongo.MongoClient[dict[str, Any]](url) as client:
        started = time.perf_counter()
        # Unsorted, as replay reads (FerretDB sorts in memory: 5 GB at 1M events).
        count = sum(1 for _ in client[MONGO_DB].events.find({}, batch_size=2000))
        seconds = time.perf_counter() - started
    log(f"scale: raw scan {count:,} events in {seconds:.1f}s ({count / seconds:,.0f}/s)")
    return {"events": count, "seconds": round(seconds, 1), "rate": count / seconds}


def probe(bench: Bench, kind: str, env: dict[str, str]) -> dict[str, Any]:
    import subprocess

    result = subprocess.run(
        [PY, "-m", "bench.scale_probe", kind, str(PROBES)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"scale_probe {kind} failed:\n{result.stderr[-3000:]}")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    log(f"scale: deposit p50 {kind} {report['p50_ms']} ms (p99 {report['p99_ms']} ms)")
    return report


def target(value: float, limit: float, direction: str) -> dict[str, Any]:
    met = value <= limit if direction == "<=" else value >= limit
    return {"value": round(value, 2), "limit": round(limit, 2), "target": direction, "met": met}


def measure(bench: Bench) -> dict[str, Any]:
    from apps.accounts_query.models import Account, StatementLine

    if bench.quick:
        raise RuntimeError("scale is not part of --quick")  # __main__ skips it there
    env = scale_env(bench)
    expected = Expected()
    import pymongo

    with pymongo.MongoClient[dict[str, Any]](env["MONGODB_URL"]) as client:
        db = client[MONGO_DB]
        loaded = not store_holds(db, expected)
        load_seconds = load(db, expected) if loaded else 0.0
    if loaded:
        log(f"scale: data set loaded in {load_seconds:.0f}s")
    admin = mysql(bench.mysql_url)
    admin.cursor().execute(
        f"CREATE DATABASE IF NOT EXISTS `{MYSQL_DB}` CHARACTER SET utf8mb4 "
        "COLLATE utf8mb4_unicode_ci"
    )
    admin.close()
    bench.manage(["migrate", "--noinput", "-v0"], env=env)
    token_key = token_for("teller", "bench-teller", env=env)

    raw = raw_scan(env["MONGODB_URL"])
    table = Account._meta.db_table
    scale_db = mysql(bench.mysql_url, MYSQL_DB)
    for name in (table, StatementLine._meta.db_table):
        scale_db.cursor().execute(f"TRUNCATE TABLE {name}")
    replay = run_replay(bench, env, "scale-replay-events")
    cursor = scale_db.cursor()
    cursor.execute(f"SELECT COUNT(*), COALESCE(SUM(version), 0) FROM {table}")
    rows, versions = map(int, cursor.fetchone())
    if (rows, versions) != (expected.accounts, expected.events):
        raise RuntimeError(f"read model after replay: {rows} rows, {versions} versions")
    log(f"scale: replay {replay['rate']:,.0f} events/s, peak {replay['peak_rss_mib']} MiB")
    query_plans = plans(scale_db, table)
    scale_db.close()

    command_large = probe(bench, "large", env)
    reset_event_store()
    truncate_read_models()
    command_empty = probe(bench, "empty", bench.env)
    run_replay(bench, bench.env, "scale-empty-replay")  # rows for the empty side's GETs
    ids = account_ids()[:: expected.accounts // PROBES][:PROBES]
    large = reads(bench, "scale-gunicorn", env, token_key, ids, SAMPLES, lists=True)
    empty = reads(
        bench,
        "scale-gunicorn-empty",
        bench.env,
        bench.token,
        command_empty["accounts"],
        SAMPLES,
        lists=False,
    )
    reset_event_store()
    truncate_read_models()

    targets = {
        "replay_vs_raw_scan": target(replay["rate"], raw["rate"], ">="),
        "replay_events_per_s": target(replay["rate"], REPLAY_FLOOR, ">="),
        "replay_peak_rss_mib": target(replay["peak_rss_mib"], 300, "<="),
        "command_p50_ratio": target(
            command_large["p50_ms"] / command_empty["p50_ms"], SIZE_RATIO, "<="
        ),
        "get_by_id_p50_ratio": target(
            large["get_by_id"]["p50_ms"] / empty["get_by_id"]["p50_ms"], SIZE_RATIO, "<="
        ),
        **{
            f"{case}_p50_ms": target(large[case]["p50_ms"], LIST_MS, "<=")
            for case in ("page_1", "page_1000", "holder", "balance_range")
        },
    }
    missed = [name for name, t in targets.items() if not t["met"]]
    log(f"scale: targets missed: {missed or 'none'}")
    return figure(
        replay["rate"],
        raw["rate"],
        "events/s (replay vs raw scan)",
        targets=targets,
        missed=missed,
        events=expected.events,
        accounts=expected.accounts,
        loaded_this_run=loaded,
        load_seconds=round(load_seconds, 1),
        raw_scan=raw,
        replay=replay,
        command_p50_ms={"large": command_large["p50_ms"], "empty": command_empty["p50_ms"]},
        command_p99_ms={"large": command_large["p99_ms"], "empty": command_empty["p99_ms"]},
        reads_large=large,
        reads_empty=empty,
        plans=query_plans,
        samples=SAMPLES,
    )
