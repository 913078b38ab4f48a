"""HTTP load generator, run as its own process: `python -m bench.loadgen SPEC.json`
(bench/throughput.py starts it from a figure and reads its report).

The loops are the test harness's one load driver (tests/harness/load.py); this module says what
each figure sends and what it times. Plain sockets and pre-built requests keep its own cost per
request small. gunicorn's sync workers close every connection, so each request opens one and
reads until the server closes it. It only ever connects to 127.0.0.1, and stops after a bounded
count or time.

Modes (the spec's "mode"):
- "throughput": a closed loop of `connections` clients sending `requests` (a list of
  [path, body]; `method`, POST by default, GET sends no body) round robin
  for `warmup` + `duration` seconds (at most `max_requests`); reports the rate and latencies
  of the requests that finished after the warm-up. `keepalive`: each client keeps one
  connection open (by default each request opens its own and the server closes it).
- "e2e": `count` deposits at `rate` per second, open loop; after each response, polls
  GET /api/v1/accounts/{id}/ every `poll_interval` seconds until it shows the new version.
"""

from __future__ import annotations

import itertools
import json
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tests.harness.load import ClosedLoop, open_loop

from .kept_alive import KeptAlive

HOST = "127.0.0.1"


def build(
    method: str,
    port: int,
    path: str,
    token: str,
    body: bytes | None = None,
    request_id: str = "",
    keepalive: bool = False,
) -> bytes:
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {HOST}:{port}",
        f"Connection: {'keep-alive' if keepalive else 'close'}",
        "Accept: application/json",
    ]
    if request_id:
        lines.append(f"X-Request-ID: {request_id}")
    if token:
        lines.append(f"Authorization: Token {token}")
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


def send(port: int, request: bytes) -> tuple[int, bytes]:
    with socket.create_connection((HOST, port), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head else 0
    return status, body


def throughput(spec: dict[str, Any]) -> dict[str, Any]:
    port, token = spec["port"], spec.get("token", "")
    method = spec.get("method", "POST")
    keepalive = bool(spec.get("keepalive"))
    prepared = [
        build(
            method,
            port,
            path,
            token,
            None if method == "GET" else json.dumps(body).encode(),
            keepalive=keepalive,
        )
        for path, body in spec["requests"]
    ]
    counter = itertools.count()
    started = time.perf_counter()
    measure_from = started + spec["warmup"]
    stop_at = measure_from + spec["duration"]
    limit = spec["max_requests"]
    samples: list[tuple[float, float, int]] = []  # (finished, latency, status)
    lock = threading.Lock()

    @contextmanager
    def client(_: int) -> Iterator[Callable[[], bool]]:
        mine: list[tuple[float, float, int]] = []
        connection = KeptAlive(port) if keepalive else None

        def step() -> bool:
            i = next(counter)
            now = time.perf_counter()
            if i >= limit or now >= stop_at:
                return False
            request = prepared[i % len(prepared)]
            status, _ = connection.send(request) if connection else send(port, request)
            done = time.perf_counter()
            mine.append((done, done - now, status))
            return True

        yield step
        if connection:
            connection.close()
        with lock:
            samples.extend(mine)

    ClosedLoop(spec["connections"], client, name="loadgen").run()
    measured = [s for s in samples if s[0] >= measure_from]
    window = max(s[0] for s in measured) - measure_from if measured else 0.0
    latencies = [s[1] for s in measured]
    statuses: dict[str, int] = {}
    for s in measured:
        statuses[str(s[2])] = statuses.get(str(s[2]), 0) + 1
    return {
        "requests": len(measured),
        "seconds": window,
        "rate": len(measured) / window if window else 0.0,
        "latencies": latencies,
        "statuses": statuses,
        "total_sent": len(samples),
    }


def e2e(spec: dict[str, Any]) -> dict[str, Any]:
    port, token = spec["port"], spec["token"]
    accounts: list[str] = spec["accounts"]
    body = json.dumps({"amount": "1.00"}).encode()
    interval, give_up = spec["poll_interval"], spec.get("timeout", 10.0)

    def one(i: int) -> dict[str, Any]:
        account = accounts[i % len(accounts)]
        request_id = f"e2e-{i}"
        sent = time.perf_counter()
        status, raw = send(
            port,
            build("POST", port, f"/api/v1/accounts/{account}/deposit/", token, body, request_id),
        )
        answered = time.perf_counter()
        answered_at = time.time()
        if status != 200:
            return {"status": status}
        version = json.loads(raw)["version"]
        probe = build("GET", port, f"/api/v1/accounts/{account}/", token)
        polls = 0
        while True:
            polls += 1
            status, raw = send(port, probe)
            seen = time.perf_counter()
            if status == 200 and json.loads(raw)["version"] >= version:
                return {
                    "status": 200,
                    "command": answered - sent,
                    "visible": seen - answered,
                    "polls": polls,
                    # Wall-clock moments, to line up with the worker's log and Kafka's
                    # timestamps by request id (bench/e2e_latency.py's breakdown).
                    "trace": [request_id, answered_at, answered_at + (seen - answered)],
                }
            if seen - answered > give_up:
                return {"status": "timeout"}
            time.sleep(interval)  # the poll interval is part of what is measured

    futures, offered_seconds = open_loop(spec["count"], spec["rate"], one, spec.get("threads", 64))
    results = [f.result() for f in futures]
    ok = [r for r in results if r["status"] == 200]
    return {
        "count": len(results),
        "ok": len(ok),
        "failed": [r["status"] for r in results if r["status"] != 200][:20],
        "offered_rate": len(results) / offered_seconds if offered_seconds else 0.0,
        "visible": [r["visible"] for r in ok],
        "command": [r["command"] for r in ok],
        "polls": [r["polls"] for r in ok],
        "trace": [r["trace"] for r in ok],
    }


def main() -> None:
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    result = throughput(spec) if spec["mode"] == "throughput" else e2e(spec)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
