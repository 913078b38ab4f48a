"""The scale figure's reads: p50s of one sequential client through gunicorn (1 worker), and
MySQL's plans for the list's queries."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

from .harness import Bench
from .report import http_json, log, percentile

DEEP_PAGE = 1_000
HOLDER = "Holder 4321"
BALANCE = (100, 200)  # about 1% of the accounts: the hardest width for an index (list_latency)


def p50(port: int, paths: list[str], token: str, samples: int) -> dict[str, float]:
    for path in paths[:3]:  # the worker's token cache and MySQL's buffer pool
        http_json("GET", port, path, token=token)
    times = []
    for n in range(samples):
        path = paths[n % len(paths)]
        started = time.perf_counter()
        status, body = http_json("GET", port, path, token=token)
        times.append(time.perf_counter() - started)
        if status != 200 or body is None or body.get("results") == []:
            raise RuntimeError(f"{path}: {status} {str(body)[:200]}")
    return {
        "p50_ms": round(percentile(times, 50) * 1000, 2),
        "p99_ms": round(percentile(times, 99) * 1000, 2),
    }


def deep_page(port: int, token: str) -> str:
    """Page 1,000's path, reached by following `next` from page 1 as a client would."""
    path = "/api/v1/accounts/"
    for _ in range(DEEP_PAGE - 1):
        status, body = http_json("GET", port, path, token=token)
        if status != 200 or not body.get("next"):
            raise RuntimeError(f"{path}: {status}, no next page")
        parts = urlsplit(body["next"])
        path = f"{parts.path}?{parts.query}"
    return path


def reads(
    bench: Bench,
    name: str,
    env: dict[str, str],
    token: str,
    ids: list[str],
    samples: int,
    lists: bool,
) -> dict[str, Any]:
    child, port = bench.start_gunicorn(name, 1, env)
    try:
        found = {"get_by_id": p50(port, [f"/api/v1/accounts/{i}/" for i in ids], token, samples)}
        if lists:
            started = time.perf_counter()
            deep = deep_page(port, token)
            log(f"{name}: page {DEEP_PAGE} reached in {time.perf_counter() - started:.1f}s")
            cases = {
                "page_1": "/api/v1/accounts/",
                f"page_{DEEP_PAGE}": deep,
                "holder": f"/api/v1/accounts/?holder={HOLDER.replace(' ', '%20')}",
                "balance_range": "/api/v1/accounts/?balance_gt={}&balance_lt={}".format(*BALANCE),
            }
            for case, path in cases.items():
                found[case] = p50(port, [path], token, samples)
    finally:
        bench.stop(child)
    for case, result in found.items():
        log(f"{name} {case}: p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms")
    return found


def plans(mysql: Any, table: str) -> dict[str, Any]:
    """EXPLAIN of the list's queries as the ORM sends them (no COUNT: cursor pagination)."""
    columns = "id, holder, account_type, balance, status, opened_at, closed_at, version"
    order = "ORDER BY opened_at ASC, id ASC LIMIT 21"
    queries = {
        "page_1": f"SELECT {columns} FROM {table} {order}",
        f"page_{DEEP_PAGE}": f"SELECT {columns} FROM {table} "
        f"WHERE opened_at > '2024-01-01 05:33:00' {order}",
        "holder": f"SELECT {columns} FROM {table} WHERE holder = '{HOLDER}' {order}",
        "balance_range": f"SELECT {columns} FROM {table} "
        f"WHERE balance > {BALANCE[0]} AND balance < {BALANCE[1]} {order}",
    }
    found = {}
    cursor = mysql.cursor()
    for case, sql in queries.items():
        cursor.execute(f"EXPLAIN {sql}")
        names = [c[0] for c in cursor.description]
        row = dict(zip(names, cursor.fetchone(), strict=True))
        found[case] = {"key": row["key"], "rows": row["rows"], "extra": row["Extra"]}
    return found
