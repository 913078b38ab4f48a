"""read_http: GET /api/v1/accounts/{id}/ per second through gunicorn, with a real token.

The same server as write_http (production flags and gunicorn.conf.py, bench.settings), the same
load generator; the raw limit is `GET /bench/noop/` on that server (bench/trivial_urls.py: DRF,
no authentication, no query). The read model holds the large table of bench/read_rows.py.
"""

from __future__ import annotations

from typing import Any

from .harness import Bench, figure, log, percentile, run_loadgen
from .read_rows import ensure_accounts
from .write_http import server_model, workers


def table_rows(bench: Bench) -> int:
    return 25_000 if bench.quick else 300_000


def get_load(bench: Bench, name: str, port: int, paths: list[str], token: str = "") -> dict:
    warmup, duration = (0.5, 2.5) if bench.quick else (3.0, 15.0)
    spec = {
        "mode": "throughput",
        "method": "GET",
        "port": port,
        "token": token,
        "requests": [[path, None] for path in paths],
        "connections": 2 * workers(),
        "warmup": warmup,
        "duration": duration,
        "max_requests": 5_000 if bench.quick else 100_000,
    }
    result = run_loadgen(bench, name, spec)
    latencies = result.pop("latencies")
    result["p50_ms"] = round(percentile(latencies, 50) * 1000, 2)
    result["p99_ms"] = round(percentile(latencies, 99) * 1000, 2)
    result["non_200"] = sum(n for status, n in result["statuses"].items() if status != "200")
    log(
        f"{name}: {result['rate']:.0f}/s, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
        f"statuses {result['statuses']}"
    )
    return result


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
    return figure(
        ours["rate"],
        noop["rate"],
        unit,
        **server_model(),
        connections=2 * workers(),
        ours_p50_ms=ours["p50_ms"],
        ours_p99_ms=ours["p99_ms"],
        noop_p50_ms=noop["p50_ms"],
        noop_p99_ms=noop["p99_ms"],
        ours_requests=ours["requests"],
    )


def measure(bench: Bench) -> dict[str, Any]:
    from apps.accounts_query.models import Account

    rows = ensure_accounts(table_rows(bench))
    ids = list(Account.objects.values_list("id", flat=True)[:500])
    result = compare(bench, "read_http", [f"/api/v1/accounts/{i}/" for i in ids], "GETs/s")
    return {**result, "table_rows": rows, "accounts_read": len(ids)}
