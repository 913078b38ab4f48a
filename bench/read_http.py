"""read_http: GET /api/v1/accounts/{id}/ per second through gunicorn, with a real token.

The same server as write_http (production flags and gunicorn.conf.py, bench.settings), the same
load generator; the raw limit is `GET /bench/noop/` on that server (bench/trivial_urls.py: DRF,
no authentication, no query). The read model holds the large table of bench/read_rows.py.
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
    """Our GETs against the no-op GET on one gunicorn; the figure of the two rates."""
    child, port = bench.start_gunicorn(f"gunicorn-{name}", workers())
    try:
        noop = get_load(bench, f"{name}-noop", port, ["/bench/noop/"])
        ours = get_load(bench, name, port, paths, bench.token)
    finally:
        bench.stop(child)
    if ours["non_200"]:
        raise RuntimeError(f"{name}: {ours['non_200']} answers were not 200: {ours['statuses']}")
    return figure(ours["rate"], noop["rate"], unit, **against_noop(ours, noop))


def measure(bench: Bench) -> dict[str, Any]:
    from apps.accounts_query.models import Account

    rows = ensure_accounts(table_rows(bench))
    ids = list(Account.objects.values_list("id", flat=True)[:500])
    result = compare(bench, "read_http", [f"/api/v1/accounts/{i}/" for i in ids], "GETs/s")
    return {**result, "table_rows": rows, "accounts_read": len(ids)}
