"""Waiting reads (`?min_version=N&wait=S`) never take the threads others need: a real gunicorn
(3 workers x 4 threads, as `make run` starts it), real MariaDB, FerretDB and Kafka.

The issue's measurement: one auditor holding 14 waits for a version never reached made a
teller's plain GET of another account take 9.0 s. Now a client holds at most
READ_WAIT_MAX_CONCURRENT (2) waits (429 too_many_waits beyond), and a process lets at most
half its threads wait (503 waiting_threads_busy beyond).
"""

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
import requests

from tests.harness.gunicorn import gunicorn
from tests.harness.tokens import authorization, token_for
from tests.support import wait_until

pytestmark = pytest.mark.kafka

NEVER = 2**31 - 1  # the largest min_version: a version no account reaches
WAIT = 10


def open_projected(base: str, headers: dict[str, str]) -> str:
    """An account, opened through the server and visible in the read model."""
    opened = requests.post(
        f"{base}/api/v1/accounts/open/",
        json={"holder": "Fair", "account_type": "SAVINGS", "opening_balance": "1.00"},
        headers=headers,
        timeout=10,
    )
    assert opened.status_code == 201, opened.text
    url = f"{base}/api/v1/accounts/{opened.json()['id']}/"
    wait_until(lambda: requests.get(url, headers=headers, timeout=10).ok, what="the projection")
    return url


def waiter(url: str, headers: dict[str, str]) -> Callable[[int], tuple[int, str, str, float]]:
    def wait_once(_: int) -> tuple[int, str, str, float]:
        answer = requests.get(
            f"{url}?min_version={NEVER}&wait={WAIT}", headers=headers, timeout=WAIT + 20
        )
        code = answer.json().get("code", "")
        return answer.status_code, code, answer.headers.get("Retry-After", ""), time.monotonic()

    return wait_once


def done(futures: list[Future]) -> int:
    return sum(f.done() for f in futures)


def test_a_client_holding_twenty_waits_does_not_slow_another_clients_reads(
    event_store_db, consumer_thread, tmp_path, capsys
):
    auditor = authorization(token_for("auditor"))
    teller = authorization(token_for("teller"))
    with gunicorn(
        tmp_path / "web.log",
        *("--workers", "3", "--threads", "4"),
        THROTTLE_CACHE_URL=f"filecache://{tmp_path}/throttle",
    ) as base:
        waited_on = open_projected(base, teller)
        other = open_projected(base, teller)
        with ThreadPoolExecutor(20) as pool:
            started = time.monotonic()
            waits = [pool.submit(waiter(waited_on, auditor), i) for i in range(20)]
            # The refused ones answer at once; then the 2 held are waiting, for 10 s.
            wait_until(lambda: done(waits) >= 18, timeout=WAIT / 2, what="18 refusals")
            reads: list[tuple[int, float, float]] = []
            for _ in range(50):
                sent = time.monotonic()
                answer = requests.get(other, headers=teller, timeout=30)
                reads.append((answer.status_code, sent, time.monotonic()))
            answers = [w.result() for w in waits]
    held = [a for a in answers if a[0] == 503]
    refused = [a for a in answers if a[0] == 429]
    assert len(held) == 2, answers
    assert all(code == "projection_behind" for _, code, _, _ in held)
    assert len(refused) == 18
    assert all(code == "too_many_waits" and after == "1" for _, code, after, _ in refused)
    # Every plain read answered 200 before the first held wait ran out.
    assert [status for status, _, _ in reads] == [200] * 50
    first_expiry = min(at for *_, at in held)
    assert first_expiry - started >= WAIT
    last_read = max(end for _, _, end in reads)
    assert last_read < first_expiry
    slowest = max(end - sent for _, sent, end in reads)
    assert slowest < 2.0, f"a plain read took {slowest:.2f}s"
    with capsys.disabled():
        latencies = sorted(end - sent for _, sent, end in reads)
        print(
            f"\n20 waits of one client: {len(held)} held (503 after "
            f"{min(at for *_, at in held) - started:.2f}s), {len(refused)} refused (429); "
            f"50 plain reads of another client done {last_read - started:.2f}s after the "
            f"waits began: median {latencies[25] * 1000:.0f} ms, max {slowest * 1000:.0f} ms"
        )


def test_many_clients_waiting_leave_half_of_each_process_free(
    event_store_db, consumer_thread, tmp_path
):
    """Three clients, two waits each, on one process of 4 threads: 2 threads wait, the other
    waits are refused (503 waiting_threads_busy), and the teller's reads go through."""
    teller = authorization(token_for("teller"))
    clients = [authorization(token_for("auditor", f"auditor-{i}")) for i in range(3)]
    with gunicorn(
        tmp_path / "web.log",
        *("--workers", "1", "--threads", "4"),
        THROTTLE_CACHE_URL=f"filecache://{tmp_path}/throttle",
    ) as base:
        waited_on = open_projected(base, teller)
        with ThreadPoolExecutor(6) as pool:
            waits = [pool.submit(waiter(waited_on, c), i) for c in clients for i in range(2)]
            wait_until(lambda: done(waits) >= 4, timeout=WAIT / 2, what="4 refusals")
            sent = time.monotonic()
            reads = [requests.get(waited_on, headers=teller, timeout=30) for _ in range(10)]
            read_seconds = time.monotonic() - sent
            still_waiting = 6 - done(waits)
            answers = [w.result() for w in waits]
    assert still_waiting == 2
    codes = sorted(code for _, code, _, _ in answers)
    assert codes == ["projection_behind"] * 2 + ["waiting_threads_busy"] * 4, answers
    assert all(after == "1" for *_, after, _ in answers)
    assert [r.status_code for r in reads] == [200] * 10
    assert read_seconds < 5.0
