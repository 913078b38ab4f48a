"""The benchmark suite runs end to end: `python -m bench --quick` once, its JSON complete.

It asserts the shape of bench/results-quick.json, not the speed: the numbers are the bench's
business (bench/README.md).
"""

import json
import subprocess
import sys
from numbers import Real
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIGURES = [
    "write_inprocess",
    "hostile_cpu",
    "snapshot_growth",
    "write_http",
    "cpu_per_command",
    "history_latency",
    "as_of_latency",
    "projection",
    "e2e_latency",
    "transfers",
    "replay",
    "peer",
    "ferretdb_backend",
    "list_latency",
    "read_http",
    "list_http",
]


def test_quick_bench_writes_every_figure() -> None:
    out = ROOT / "bench" / "results-quick.json"
    out.unlink(missing_ok=True)
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=480,  # under load from other checkouts a quick run has taken 250-300 s
    )
    assert result.returncode == 0, result.stderr[-4000:] + result.stdout[-2000:]
    report = json.loads(out.read_text())
    assert report["quick"] is True
    assert {"cores", "memory_gib", "python", "date"} <= set(report["machine"])
    assert "scale" not in report  # 1M events: full runs only (bench/scale.py)
    for name in FIGURES:
        figure = report[name]
        for key in ("value", "limit", "ratio"):
            assert isinstance(figure.get(key), Real), (name, key, figure)
            assert not isinstance(figure[key], bool), (name, key)
        assert figure["limit"] > 0, (name, figure)
    # Every process of the system has its share of a deposit's and a GET's CPU.
    processes = {"web", "ferretdb", "kafka", "mariadb", "consume_events", "run_transfers"}
    processes |= {"project_users", "load_generator", "total"}
    for side in ("per_deposit", "per_get"):
        assert processes <= set(report["cpu_per_command"][side]), report["cpu_per_command"]
    assert set(report["cpu_per_command"]["web_floors_ms"]) == {"raw_get", "noop_get"}
    for name in ("read_http", "list_http"):  # against the raw WSGI read, the no-op aside
        assert report[name]["noop_rate"] > 0, report[name]
