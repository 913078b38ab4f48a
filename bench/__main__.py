"""`python -m bench [--quick] [--only NAME,...]`: run the figures, print a table, write JSON.

Full runs write bench/results.json; --quick runs write bench/results-quick.json.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.harness.processes import ROOT

from .harness import Bench
from .report import log

# In this order: the write figures first (they share the event store), then replay (it empties
# the event store to hold exactly its own events), scale last (its empty-store side wants the
# run's databases empty, as replay leaves them).
FIGURES = [
    "write_inprocess",
    "hostile_cpu",
    "snapshot_growth",
    "history_latency",
    "as_of_latency",
    "peer",
    "ferretdb_backend",
    "write_http",
    "cpu_per_command",
    "e2e_latency",
    "transfers",
    "list_latency",
    "read_http",
    "list_http",
    "projection",
    "replay",
    "scale",
]
# Too big for a smoke run: 1M events (bench/scale.py).
NOT_QUICK = {"scale"}
# (direction, threshold) on the ratio: ">=" better when higher, "<=" better when lower.
TARGETS: dict[str, tuple[str, float]] = {
    "write_inprocess": (">=", 1.0),
    "hostile_cpu": ("<=", 5.0),
    "snapshot_growth": ("<=", 2.0),
    "history_latency": ("<=", 2.0),
    "peer": (">=", 1.0),
    "e2e_latency": ("<=", 1.0),
    "transfers": ("<=", 1.0),
    "write_http": (">=", 0.25),
    "cpu_per_command": ("<=", 1.0),
    "list_latency": ("<=", 1.0),
    "read_http": (">=", 0.7),
    "list_http": (">=", 0.5),
    "projection": (">=", 0.6),
    "replay": (">=", 0.5),
    "scale": (">=", 1.0),
}


def machine() -> dict[str, Any]:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(memory, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def verdict(name: str, result: dict[str, Any]) -> str:
    if "error" in result:
        return "ERROR"
    if name not in TARGETS:
        return "-"
    direction, threshold = TARGETS[name]
    ok = result["ratio"] >= threshold if direction == ">=" else result["ratio"] <= threshold
    return f"{'met' if ok else 'MISSED'} ({direction}{threshold:g})"


def table(results: dict[str, Any]) -> str:
    lines = [f"{'figure':<17}{'ours':>12}{'limit':>12}{'ratio':>8}  {'unit':<24}target", "-" * 90]
    for name in FIGURES:
        if name not in results:
            continue
        r = results[name]
        if "error" in r:
            lines.append(f"{name:<17}{'error: ' + r['error'][:60]}")
            continue
        lines.append(
            f"{name:<17}{r['value']:>12,.1f}{r['limit']:>12,.1f}{r['ratio']:>8.2f}  "
            f"{r['unit']:<24}{verdict(name, r)}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small version (< 2 minutes)")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(FIGURES)}")
    parser.add_argument("--out", type=Path, help="results file (default: bench/results*.json)")
    args = parser.parse_args(argv)
    chosen = args.only.split(",") if args.only else FIGURES
    unknown = set(chosen) - set(FIGURES)
    if unknown:
        parser.error(f"unknown figure(s): {', '.join(sorted(unknown))}")
    if args.quick:
        chosen = [name for name in chosen if name not in NOT_QUICK]
    out = args.out or ROOT / "bench" / ("results-quick.json" if args.quick else "results.json")
    started = time.monotonic()
    results: dict[str, Any] = {}
    failed = False
    with Bench(quick=args.quick) as bench:
        for name in [f for f in FIGURES if f in chosen]:
            log(f"--- {name}")
            t0 = time.monotonic()
            try:
                module = importlib.import_module(f"bench.{name}")
                results[name] = (
                    module.measure(bench)
                    if name != "peer"
                    else module.measure(bench, results.get("write_inprocess"))
                )
                results[name]["seconds"] = round(time.monotonic() - t0, 1)
            except KeyboardInterrupt:
                raise
            except Exception as exc:
                failed = True
                traceback.print_exc()
                results[name] = {"error": f"{type(exc).__name__}: {exc}"}
    report = {
        "quick": args.quick,
        "machine": machine(),
        "seconds": round(time.monotonic() - started, 1),
        **results,
    }
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(table(results))
    print(f"\n{len(results)} figure(s) in {report['seconds']:.0f}s; written to {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
