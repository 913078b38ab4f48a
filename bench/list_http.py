"""list_http: pages of 20 accounts with one filter per second through gunicorn, with a token.

Like read_http (same server, same raw limit: `GET /bench/noop/`), on the same large table; the
requests cycle through the first pages of `status=OPEN`, `account_type=CURRENT`, a holder and a
balance range, so that every filter is in the mix.
"""

from __future__ import annotations

from typing import Any

from .harness import Bench
from .read_http import compare, table_rows
from .read_rows import ensure_accounts

FILTERS = [
    "status=OPEN",
    "account_type=CURRENT",
    "holder=Holder%2012",
    "balance_gt=100&balance_lt=200",
]


def measure(bench: Bench) -> dict[str, Any]:
    rows = ensure_accounts(table_rows(bench))
    paths = [f"/api/v1/accounts/?{query}" for query in FILTERS]
    result = compare(bench, "list_http", paths, "pages/s")
    return {**result, "table_rows": rows, "filters": FILTERS, "page_size": 20}
