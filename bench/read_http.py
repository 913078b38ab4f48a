"""read_http: GET /api/v1/accounts/{id}/ per second through gunicorn, with a real token.

The same server as write_http (production flags and gunicorn.conf.py, bench.settings), the same
load generator. The raw limit (issue 20) is `GET /raw/accounts/{id}/` on that server
(bench/raw_read.py: a bare WSGI callable that reads the same token the same way, runs the same
one-row SELECT and writes the same JSON); `GET /bench/noop/` (bench/trivial_urls.py: DRF, no
authentication, no query), the limit before, is in the details. The read model holds the large
table of bench/read_rows.py.
"""

from __future__ import annotations

from typing import Any

from .harness import Bench
from .read_rows import ensure_accounts
from .report import figure
from .throughput import throughput
from .write_http import against_noop, workers


def table_rows(bench: Bench) -> int:
    return 25_000 if bench.quick else 300_000


def get_load(bench: Bench, name: str, port: int, paths: list[str], token: str = "") -> dict:
    return throughput(
        bench,
        name,
        port,
        [[path, None] for path in paths],
        connections=2 * workers(),
        seconds=(0.5, 2.5) if bench.quick else (3.0, 15.0),
        max_requests=5_000 if bench.quick else 100_000,
        method="GET",
        token=token,
    )


def compare(bench: Bench, name: str, paths: list[str], unit: str) -> dict[str, Any]:
    """Our GETs against the same reads done raw (and the no-op GET) on one gunicorn; the figure
    of ours against raw."""
    child, port = bench.start_gunicorn(f"gunicorn-{name}", workers(), app="bench.raw_read")
    raw_paths = [path.replace("/api/v1/", "/raw/", 1) for path in paths]
    try:
        noop = get_load(bench, f"{name}-noop", port, ["/bench/noop/"])
        raw = get_load(bench, f"{name}-raw", port, raw_paths, bench.token)
        ours = get_load(bench, name, port, paths, bench.token)
    finally:
        bench.stop(child)
    for side in (raw, ours):
        if side["non_200"]:
            raise RuntimeError(f"{name}: {side['non_200']} answers not 200: {side['statuses']}")
    return figure(
        ours["rate"],
        raw["rate"],
        unit,
        **against_noop(ours, noop),
        noop_rate=round(noop["rate"], 1),
        ratio_to_noop=round(ours["rate"] / noop["rate"], 3) if noop["rate"] else 0.0,
        raw_p50_ms=raw["p50_ms"],
        raw_p99_ms=raw["p99_ms"],
    )


def measure(bench: Bench) -> dict[str, Any]:
    from apps.accounts_query.models import Account

    rows = ensure_accounts(table_rows(bench))
    ids = list(Account.objects.values_list("id", flat=True)[:500])
    result = compare(bench, "read_http", [f"/api/v1/accounts/{i}/" for i in ids], "GETs/s")
    return {**result, "table_rows": rows, "accounts_read": len(ids)}
