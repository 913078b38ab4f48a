"""What every figure uses: its result's shape, percentiles, the run's log, and the HTTP client
of the figures that talk to a server themselves."""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of `values`; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def figure(
    value: float, limit: float, unit: str, ratio: float | None = None, **details: Any
) -> dict[str, Any]:
    """One result: ours, the raw limit, ours/limit (unless given), and whatever explains them."""
    if ratio is None:
        ratio = value / limit if limit else 0.0
    return {
        "value": round(value, 3),
        "limit": round(limit, 3),
        "ratio": round(ratio, 3),
        "unit": unit,
        **details,
    }


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def http_json(
    method: str, port: int, path: str, body: dict | None = None, token: str = ""
) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, method=method, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")
