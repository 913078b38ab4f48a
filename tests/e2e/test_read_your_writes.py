"""`?min_version=N`: a read that waits for the projection, against the real servers."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection

from tests.harness.gunicorn import gunicorn
from tests.harness.tokens import authorization, token_for
from tests.support import command, open_account

pytestmark = pytest.mark.kafka


def test_min_version_not_reached_is_503_projection_behind(teller, transactional_db, kafka_topic):
    account = open_account(teller)  # no worker runs: the read model stays behind
    started = time.monotonic()
    response = teller.get(f"/api/v1/accounts/{account}/?min_version=1&wait=0.4")
    assert time.monotonic() - started >= 0.4
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert response.json()["code"] == "projection_behind"
    assert response.json()["current_version"] == 0
    bad = teller.get(f"/api/v1/accounts/{account}/?min_version=x")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_input"


def test_min_version_waits_for_the_projection(teller, consumer_thread):
    account = open_account(teller)
    version = command(teller, account, "deposit", amount="5.00").json()["version"]
    response = teller.get(f"/api/v1/accounts/{account}/?min_version={version}")
    assert response.status_code == 200, response.content
    assert (response.json()["version"], response.json()["balance"]) == (2, "105.00")
    behind = teller.get(f"/api/v1/accounts/{account}/?min_version={version + 1}&wait=0.2")
    assert behind.status_code == 503 and behind.json()["current_version"] == 2


def mysql_threads_connected() -> int:
    """Connections to this test's database (other test runs share the server)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = %s",
            [connection.settings_dict["NAME"]],
        )
        return int(cursor.fetchone()[0])


def test_fifty_waiting_clients_do_not_starve_the_others(
    event_store_db, consumer_thread, tmp_path, capsys
):
    headers = authorization(token_for("teller"))
    # One client's 50 waits: its limit raised to 50, and every thread of a process may wait
    # (tests/e2e/test_read_wait_fairness.py holds the defaults, 2 per client and half the
    # threads).
    with gunicorn(
        tmp_path / "web.log",
        *("--workers", "2", "--worker-class", "gthread", "--threads", "40"),
        READ_WAIT_MAX_CONCURRENT="50",
        READ_WAIT_MAX_THREADS="40",
    ) as base:
        opened = requests.post(
            f"{base}/api/v1/accounts/open/",
            json={"holder": "Wait", "account_type": "SAVINGS", "opening_balance": "1.00"},
            headers=headers,
            timeout=10,
        )
        account = opened.json()["id"]
        url = f"{base}/api/v1/accounts/{account}/"
        assert requests.get(f"{url}?min_version=1", headers=headers, timeout=10).ok
        url = f"{base}/api/v1/accounts/{account}/"
        before = mysql_threads_connected()
        waiting: list[tuple[int, float]] = []
        peak = [0]

        def wait_one(_: int) -> None:
            started = time.monotonic()
            answer = requests.get(f"{url}?min_version=5&wait=4", headers=headers, timeout=30)
            waiting.append((answer.status_code, time.monotonic() - started))

        samples: list[int] = []

        def watch(stop: threading.Event) -> None:
            while not stop.wait(0.1):
                samples.append(mysql_threads_connected())
                peak[0] = max(peak[0], samples[-1])

        stop = threading.Event()
        watcher = threading.Thread(target=watch, args=(stop,), daemon=True)
        watcher.start()
        with ThreadPoolExecutor(50) as pool:
            pending = pool.map(wait_one, range(50))
            time.sleep(1.0)  # let the 50 start waiting; nothing to poll for here
            others = []
            for _ in range(20):
                started = time.monotonic()
                others.append(requests.get(url, headers=headers, timeout=30).status_code)
                others.append(time.monotonic() - started)
            list(pending)
        stop.set()
        watcher.join(5)
    latencies = sorted(others[1::2])
    assert others[::2] == [200] * 20
    assert latencies[-1] < 2.0, f"a plain read waited {latencies[-1]:.2f}s behind the waiters"
    assert [s for s, _ in waiting] == [503] * 50
    assert all(3.9 <= t < 8 for _, t in waiting), sorted(t for _, t in waiting)
    # Held for the whole wait, 50 connections would show all along; given back between polls,
    # a waiter holds one only while it polls (peaks: the requests' starts and ends, where
    # CONN_MAX_AGE keeps a finished request's connection for its thread).
    mean = sum(samples) / len(samples)
    assert mean - before < 40, f"{mean - before:.1f} more connections on average while waiting"
    with capsys.disabled():
        print(
            f"\n50 clients waiting 4 s: all 503 after {min(t for _, t in waiting):.2f}-"
            f"{max(t for _, t in waiting):.2f}s; 20 plain reads meanwhile: median "
            f"{latencies[10] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms; MySQL "
            f"connections to the database {before} before, while waiting mean "
            f"{sum(samples) / len(samples):.1f}, peak {peak[0]}"
        )
