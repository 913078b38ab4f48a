"""The worker's own HTTP port: liveness with stuck detection, readiness, metrics."""

from collections.abc import Iterator

import pytest

from operations.metrics import set_replay_progress
from operations.progress import Progress
from operations.worker_http import WorkerHttpServer
from tests.ops.support import http_get, http_json, sample
from tests.support import wait_until


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def progress(clock) -> Progress:
    return Progress(stuck_seconds=5, clock=clock)


@pytest.fixture
def server(progress) -> Iterator[str]:
    running = WorkerHttpServer(progress, "127.0.0.1", 0).start()
    assert running.port > 0
    yield f"http://127.0.0.1:{running.port}"
    running.stop()


def test_healthz_turns_503_when_stuck_and_back_after_progress(server, progress, clock):
    status, body = http_json(f"{server}/healthz")
    assert (status, body["status"], body["stuck"]) == (200, "alive", False)

    progress.set_lag(7)
    clock.now += 4  # lag, but within the threshold
    assert http_json(f"{server}/healthz")[0] == 200
    clock.now += 2  # lag and no commit for 6 s > 5 s
    status, body = http_json(f"{server}/healthz")
    assert status == 503
    assert body["status"] == "stuck"
    assert body["lag"] == 7
    assert body["seconds_since_progress"] == pytest.approx(6)

    progress.record_progress()
    assert http_json(f"{server}/healthz")[0] == 200


def test_an_idle_worker_is_never_stuck(server, progress, clock):
    progress.set_lag(0)
    clock.now += 3600
    assert http_json(f"{server}/healthz")[0] == 200
    # Work arriving after a quiet hour starts its own clock.
    progress.set_lag(3)
    assert http_json(f"{server}/healthz")[0] == 200
    clock.now += 6
    assert http_json(f"{server}/healthz")[0] == 503


def test_stuck_on_the_real_clock():
    progress = Progress(stuck_seconds=0.2)
    running = WorkerHttpServer(progress, "127.0.0.1", 0).start()
    try:
        url = f"http://127.0.0.1:{running.port}/healthz"
        assert http_json(url)[0] == 200
        progress.set_lag(1)
        wait_until(lambda: http_json(url)[0] == 503, timeout=5, what="healthz to say stuck")
    finally:
        running.stop()


def test_readyz_and_metrics_are_served(server, settings):
    status, body = http_json(f"{server}/readyz")
    assert (status, body) == (200, {"status": "ready"})  # anonymous: up or down, nothing more
    settings.METRICS_TOKEN = "worker-token"
    status, body = http_json(f"{server}/readyz", {"Authorization": "Bearer worker-token"})
    assert status == 200, body
    assert {c["status"] for c in body["checks"].values()} == {"up"}
    settings.METRICS_TOKEN = ""
    set_replay_progress(30, 120)
    status, headers, text = http_get(f"{server}/metrics")
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain")
    assert sample(text.decode(), "techbank_replay_progress_ratio") == pytest.approx(0.25)
    assert http_json(f"{server}/nothing")[0] == 404


def test_metrics_token_on_the_worker_port(server, settings):
    settings.METRICS_TOKEN = "worker-token"
    assert http_get(f"{server}/metrics")[0] == 401
    authorized = {"Authorization": "Bearer worker-token"}
    assert http_get(f"{server}/metrics", authorized)[0] == 200
    assert http_get(f"{server}/healthz")[0] == 200
