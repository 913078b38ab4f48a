"""gunicorn with 3 workers: /metrics sums what every worker counted (multiprocess mode)."""

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from prometheus_client.mmap_dict import MmapedDict

from tests.harness.gunicorn import Gunicorn
from tests.harness.processes import child_env
from tests.ops.support import frozen_server, http_get, sample
from tests.support import wait_until

WORKERS = 3


def test_counters_are_summed_across_workers(tmp_path):
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_1.db").write_bytes(b"stale")  # an earlier run's: must be cleared
    with frozen_server() as frozen:
        env = {
            **child_env(),
            "DEBUG": "false",
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
            # /readyz then holds its worker thread for the whole deadline.
            "MONGODB_URL": f"mongodb://127.0.0.1:{frozen}/techbank",
            "READINESS_TIMEOUT_SECONDS": "2",
        }

        def ready(url: str) -> bool:
            return _status(f"{url}/healthz") == 200

        with Gunicorn(tmp_path / "web.log", "--workers", str(WORKERS), env=env, ready=ready) as web:
            base = web.url
            # A worker writes its counter file once it has loaded the app (and the stale
            # file of an earlier run is gone).
            wait_until(
                lambda: (
                    len(list(metrics_dir.glob("counter_*.db"))) == WORKERS
                    and not (metrics_dir / "counter_1.db").exists()
                ),
                what=f"{WORKERS} workers ready",
            )
            # Slow requests, as many at once as there are workers, until at least two workers
            # have served some: a threaded worker may take a whole batch, a new connection goes
            # to whichever worker accepts it first.
            sent = 0

            def batch_reaches_two_workers() -> bool:
                nonlocal sent
                with ThreadPoolExecutor(WORKERS) as pool:
                    statuses = list(pool.map(_status, [f"{base}/readyz"] * WORKERS))
                assert statuses == [503] * WORKERS
                sent += WORKERS
                return len(_readyz_counts(metrics_dir)) >= 2

            wait_until(batch_reaches_two_workers, timeout=120, what="two workers to serve /readyz")
            per_worker = _readyz_counts(metrics_dir)
            assert len(per_worker) >= 2, per_worker
            assert sum(per_worker.values()) == sent
            for _ in range(10):
                assert _status(f"{base}/healthz") == 200

            # Every scrape, whichever worker answers, sees every worker's counts.
            for _ in range(WORKERS * 2):
                text = http_get(f"{base}/metrics")[2].decode()
                readyz = sample(text, "techbank_http_requests_total", route="readyz")
                assert readyz == sent, text  # one worker alone knows only its own
                healthz = sample(text, "techbank_http_requests_total", route="healthz")
                assert healthz >= 11  # the 10, and the wait's first success
    assert (tmp_path / "web.log").read_text().count("Booting worker") == WORKERS


def _readyz_counts(directory: Path) -> dict[str, float]:
    """Each worker's own count of /readyz requests, read from its file."""
    counts: dict[str, float] = {}
    for path in directory.glob("counter_*.db"):
        for key, value, _, _ in MmapedDict.read_all_values_from_file(str(path)):
            _, name, labels, _ = json.loads(key)
            if name == "techbank_http_requests_total" and labels["route"] == "readyz" and value:
                counts[path.name] = counts.get(path.name, 0) + value
    return counts


def _status(url: str) -> int | None:
    try:
        return http_get(url, timeout=10)[0]
    except OSError:
        return None
