"""(12) ferretdb_backend: the raw 3-operation command on FerretDB's SQLite vs PostgreSQL backend.

The command is write_inprocess's raw limit (find_one of the snapshot by _id, find_one probing
the next event's _id, insert_one of the event), at 1 and 8 client threads, interleaved, against
three FerretDBs, all the binary scripts/services.sh builds, with its flags:
  - shared_sqlite: the shared one (SQLite backend, port 27017, database techbank_bench);
  - sqlite: a private one on SQLite files in a temporary directory;
  - postgresql: a private one on its PostgreSQL backend (`--handler=postgresql`) over a private
    PostgreSQL 15 (scripts/postgres.sh).
The private ones listen on a free port of 127.0.0.1 and are stopped at the end. The shared one
also serves whatever else runs on the machine (other checkouts' tests), so the headline
compares the two private ones: same binary, same machine, nobody else's load on either.
All get the same collections (`backend_events` with the event store's two indexes,
`backend_snapshots`), dropped afterwards. All commit to disk (scripts/postgres.sh says how).

value = PostgreSQL at 8 threads, limit = SQLite at 8 threads: ratio > 1 means PostgreSQL is
faster for our write pattern. Details per backend: 1 thread; 8 insert_one vs one insert_many
of 8, ms per event (what group commit saves); an _id lookup in a 100-document collection and in
a big one (flat = index-served) with the backend's plan from `explain`.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from tests.harness.ferretdb import PrivateFerretDB
from tests.harness.postgres import private_postgres

from .backends import MONGO_DB
from .harness import Bench
from .report import figure, log, percentile
from .write_inprocess import raw_commands, raw_event, sizes

EVENTS, SNAPSHOTS, LOOKUP = "backend_events", "backend_snapshots", "backend_lookup"
# The shared FerretDB (services.sh), and two private ones of the same binary and flags.
BACKENDS = ("shared_sqlite", "sqlite", "postgresql")


def fresh(db: Any) -> None:
    for name in (EVENTS, SNAPSHOTS, LOOKUP):
        db.drop_collection(name)
    # The event store's indexes (apps/eventstore/documents.py): every insert maintains them.
    db[EVENTS].create_index([("aggregate_id", 1), ("version", 1)], unique=True, name="stream")
    db[EVENTS].create_index([("metadata.idempotency_key", 1)], name="idempotency_key")


def raw(db: Any, clients: int, commands: int) -> float:
    """write_inprocess.raw against `db`: commands/s."""
    fresh(db)
    return raw_commands(db[SNAPSHOTS], db[EVENTS], clients, commands, {})


def batches(db: Any, rounds: int) -> dict[str, float]:
    """ms per event: 8 insert_one calls against one insert_many of 8 (1 thread)."""
    fresh(db)
    timings = {}
    for name, many in (("insert_one_x8", False), ("insert_many_8", True)):
        started = time.perf_counter()
        for _ in range(rounds):
            docs = [raw_event(f"batch-{uuid.uuid4().hex}", 1) for _ in range(8)]
            if many:
                db[EVENTS].insert_many(docs)
            else:
                for doc in docs:
                    db[EVENTS].insert_one(doc)
        timings[f"{name}_ms_per_event"] = round(
            (time.perf_counter() - started) / rounds / 8 * 1e3, 3
        )
    return timings


def lookups(db: Any, size: int, samples: int = 200) -> dict[str, Any]:
    """p50 of find_one by _id at 100 documents and at `size`: flat means an index serves it."""
    import random

    db.drop_collection(LOOKUP)
    result: dict[str, Any] = {}
    count = 0
    for target in (100, size):
        while count < target:
            chunk = min(1000, target - count)
            db[LOOKUP].insert_many([raw_event("lookup", v) for v in range(count, count + chunk)])
            count += chunk
        times = []
        for _ in range(samples):
            key = f"lookup:{random.randrange(count):010d}"
            started = time.perf_counter()
            db[LOOKUP].find_one({"_id": key})
            times.append((time.perf_counter() - started) * 1e3)
        result[f"p50_ms_at_{target}"] = round(percentile(times, 50), 3)
    plan = db.command("explain", {"find": LOOKUP, "filter": {"_id": "lookup:0000000001"}})
    result["explain"] = {k: plan[k] for k in ("queryPlanner", "pushdown") if k in plan}
    db.drop_collection(LOOKUP)
    return result


def private_ferretdb(bench: Bench, stack: contextlib.ExitStack, handler: str) -> str:
    """The Mongo URL of a private FerretDB on `handler`, stopped when `stack` closes."""
    state = stack.enter_context(tempfile.TemporaryDirectory(prefix=f"techbank-bench-{handler}-"))
    postgresql_url = stack.enter_context(private_postgres(log)) if handler == "postgresql" else ""
    server = PrivateFerretDB(
        Path(state),
        handler,
        postgresql_url,
        database=MONGO_DB,
        log=bench.out / f"ferretdb-{handler}.log",
    )
    return stack.enter_context(server).url


def measure(bench: Bench) -> dict[str, Any]:
    import pymongo

    tries = 1 if bench.quick else 2  # best of: the machine is shared and noisy
    lookup_size = 3_000 if bench.quick else 30_000
    rates: dict[str, dict[int, float]] = {name: {} for name in BACKENDS}
    details: dict[str, dict[str, Any]] = {}
    with contextlib.ExitStack() as stack:
        urls = {"shared_sqlite": bench.mongo_url}
        for name in ("sqlite", "postgresql"):
            urls[name] = private_ferretdb(bench, stack, name)
        dbs: dict[str, Any] = {}
        for name, url in urls.items():
            dbs[name] = stack.enter_context(pymongo.MongoClient(url))[MONGO_DB]
        for db in dbs.values():
            raw(db, 1, 50 if bench.quick else 300)  # warm-up
        for threads, commands in sizes(bench.quick).items():
            for _ in range(tries):
                for name, db in dbs.items():  # interleaved, so drift hits all alike
                    rate = raw(db, threads, commands)
                    rates[name][threads] = max(rate, rates[name].get(threads, 0.0))
            found = ", ".join(f"{n} {r[threads]:.0f}/s" for n, r in rates.items())
            log(f"ferretdb_backend {threads} thread(s): {found}")
        for name, db in dbs.items():
            details[name] = {
                **batches(db, 20 if bench.quick else 100),
                "id_lookup": lookups(db, lookup_size),
                "clients_1": round(rates[name][1], 1),
                "clients_8": round(rates[name][8], 1),
            }
            for collection in (EVENTS, SNAPSHOTS):
                db.drop_collection(collection)
    sqlite, postgres = rates["sqlite"], rates["postgresql"]
    faster = {n: "postgresql" if postgres[n] > sqlite[n] else "sqlite" for n in (1, 8)}
    return figure(
        postgres[8],
        sqlite[8],
        "raw cmd/s, PostgreSQL vs SQLite backend",
        headline="8 client threads, private FerretDBs; ratio > 1: PostgreSQL is faster",
        clients_1=figure(postgres[1], sqlite[1], "raw commands/s"),
        clients_8=figure(postgres[8], sqlite[8], "raw commands/s"),
        backends=details,
        verdict=f"faster for our write pattern: {faster[8]} at 8 threads, {faster[1]} at 1 thread"
        f" (the store holds <= {sizes(bench.quick)[8] + 50} events; see id_lookup for larger)",
        best_of=tries,
    )
