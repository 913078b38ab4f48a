"""list_latency: p50 of one list page on a large table, one client, through gunicorn.

Four requests, each sent `samples` times in turn: page 1; page 1,000 (its cursor built by
keyset from the row before it, then checked against the rows it must start with); a holder
lookup; a balance range (100 to 200: about 1% of the rows, the hardest width for an index, as
neither the balance index nor the opening order narrows it much). value = the worst p50, limit =
the 20 ms target.
"""

from __future__ import annotations

import base64
import time
from typing import Any
from urllib.parse import urlencode

from .harness import Bench
from .read_http import table_rows
from .read_rows import ensure_accounts
from .report import figure, http_json, log, percentile

TARGET_MS = 20.0
PAGE = 1_000
PAGE_SIZE = 20


def cursor_of_page(page: int) -> tuple[str, str]:
    """The cursor DRF's `next` link would carry to `page`, and that page's first account id."""
    from apps.accounts_query.models import Account

    ordered = Account.objects.order_by("opened_at", "id")
    before = ordered[(page - 1) * PAGE_SIZE - 1]
    first = ordered[(page - 1) * PAGE_SIZE]
    token = urlencode({"p": str(before.opened_at)})
    return base64.b64encode(token.encode()).decode(), str(first.id)


def p50_ms(port: int, path: str, token: str, samples: int) -> tuple[float, float]:
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        status, body = http_json("GET", port, path, token=token)
        times.append(time.perf_counter() - started)
        if status != 200 or not body["results"]:
            raise RuntimeError(f"{path}: {status} {str(body)[:200]}")
    return round(percentile(times, 50) * 1000, 2), round(percentile(times, 99) * 1000, 2)


def measure(bench: Bench) -> dict[str, Any]:
    rows = ensure_accounts(table_rows(bench))
    cursor, first_id = cursor_of_page(PAGE)
    cases = {
        "page_1": "/api/v1/accounts/",
        f"page_{PAGE}": f"/api/v1/accounts/?cursor={cursor}",
        "holder": "/api/v1/accounts/?holder=Holder%204321",
        "balance_range": "/api/v1/accounts/?balance_gt=100&balance_lt=200",
    }
    samples = 30 if bench.quick else 200
    child, port = bench.start_gunicorn("gunicorn-list-latency", 1)
    try:
        _, deep = http_json("GET", port, cases[f"page_{PAGE}"], token=bench.token)
        if deep["results"][0]["id"] != first_id:
            raise RuntimeError(f"page {PAGE} starts at {deep['results'][0]['id']}, not {first_id}")
        for path in cases.values():  # warm the worker's token cache and MySQL's buffer pool
            p50_ms(port, path, bench.token, 3)
        measured = {name: p50_ms(port, path, bench.token, samples) for name, path in cases.items()}
        # The same client's p50 on the no-op view: what this machine's load makes of any request.
        noop = []
        for _ in range(samples):
            started = time.perf_counter()
            http_json("GET", port, "/bench/noop/")
            noop.append(time.perf_counter() - started)
    finally:
        bench.stop(child)
    for name, (p50, p99) in measured.items():
        log(f"list_latency {name}: p50 {p50} ms, p99 {p99} ms")
    worst = max(p50 for p50, _ in measured.values())
    return figure(
        worst,
        TARGET_MS,
        "ms p50, worst of 4",
        p50_ms={name: p50 for name, (p50, _) in measured.items()},
        p99_ms={name: p99 for name, (_, p99) in measured.items()},
        noop_p50_ms=round(percentile(noop, 50) * 1000, 2),
        table_rows=rows,
        samples=samples,
        page_size=PAGE_SIZE,
        note="value = the worst p50 of page 1, page 1,000, holder, balance range; limit = 20 ms",
    )
