"""A figure's side of the load generator (bench/loadgen.py): run it in a process of its own with
a spec, and a closed-loop throughput run summarised as the HTTP figures report it."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from tests.harness.processes import PY, ROOT

from .harness import Bench
from .report import log, percentile


def run_loadgen(bench: Bench, name: str, spec: dict[str, Any], timeout: float = 300) -> dict:
    """Runs bench.loadgen in its own process with `spec`; returns what it reports."""
    path = bench.out / f"{name}.spec.json"
    path.write_text(json.dumps(spec))
    result = subprocess.run(
        [PY, "-m", "bench.loadgen", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"load generator failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def throughput(
    bench: Bench,
    name: str,
    port: int,
    requests: list,
    *,
    connections: int,
    seconds: tuple[float, float],
    max_requests: int,
    method: str = "POST",
    token: str = "",
    keepalive: bool = False,
) -> dict[str, Any]:
    """`requests` ([path, body] each) round robin from `connections` clients for `seconds`
    (warm-up, measured); the loadgen's report with p50_ms, p99_ms and non_200 in place of the
    latencies."""
    warmup, duration = seconds
    spec = {
        "mode": "throughput",
        "method": method,
        "port": port,
        "token": token,
        "requests": requests,
        "connections": connections,
        "warmup": warmup,
        "duration": duration,
        "max_requests": max_requests,
        "keepalive": keepalive,
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
