"""(issue 18) hostile_cpu: the CPU one hostile body costs, next to a normal deposit's checks.

Every body of the generated corpus (tests/harness/hostile_bodies.py: long escapes, long keys,
many keys, nesting just under the limit, long numbers, many small tokens; each just under
API_MAX_BODY_BYTES; and forms, multipart and a long Content-Type) is POSTed to
`/api/v1/accounts/{id}/deposit/` in this process through Django's test client: the whole
request path (middleware, body guard, token authentication, throttle, the parser, the
serializer) to its 4xx. CPU is time.thread_time() around the request, the median of `repeats`
sends of each body.

The limit: a normal deposit's parsing and validation, on the same path: the same request with
`{"amount": "10.50", "expected_version": N}`, its CPU less the CPU spent inside the command
dispatcher (timed by a wrapper around the one installed, so the command really runs).

value = the worst body's CPU (us), limit = the normal deposit's (us), ratio = value / limit;
target <= 5. No thread or server of its own: CPU time is what a request takes from its worker
while it holds the GIL.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from kernel.mediator import Dispatcher

from .harness import Bench
from .report import figure, log


class TimedDispatcher(Dispatcher):
    """The installed command dispatcher, with the CPU each dispatch took noted."""

    def __init__(self, inner: Dispatcher) -> None:
        super().__init__()
        self.inner = inner
        self.spent = 0.0

    def dispatch(self, command: object) -> Any:
        started = time.thread_time()
        try:
            return self.inner.dispatch(command)
        finally:
            self.spent += time.thread_time() - started


def measure(bench: Bench) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client

    from apps.accounts_command.api import dependencies
    from tests.harness.hostile_bodies import JSON, corpus, other_media

    from .wired import web

    web()
    repeats = 5 if bench.quick else 25
    client = Client(HTTP_AUTHORIZATION=f"Token {bench.token}", SERVER_NAME="localhost")
    opened = client.post(
        "/api/v1/accounts/open/",
        {"holder": "Hostile", "account_type": "SAVINGS", "opening_balance": "0.00"},
        content_type="application/json",
    )
    assert opened.status_code == 201, opened.content[:300]
    deposit = f"/api/v1/accounts/{opened.json()['id']}/deposit/"

    def post(body: bytes, content_type: str = JSON) -> Any:
        return client.generic("POST", deposit, body, content_type=content_type)

    installed = dependencies.dispatcher.get()
    timed = TimedDispatcher(installed)
    dependencies.dispatcher.install(timed)
    try:
        normal: list[float] = []
        for version in range(1, 1 + max(20, 4 * repeats)):
            body = b'{"amount": "10.50", "expected_version": %d}' % version
            timed.spent = 0.0
            started = time.thread_time()
            answer = post(body)
            spent = time.thread_time() - started
            assert answer.status_code == 200, answer.content[:300]
            normal.append(spent - timed.spent)
    finally:
        dependencies.dispatcher.install(installed)

    limit_bytes = settings.API_MAX_BODY_BYTES
    per_body: dict[str, dict[str, Any]] = {}
    bodies = {name: (JSON, body) for name, body in corpus(limit_bytes).items()}
    for name, (content_type, body) in {**bodies, **other_media(limit_bytes)}.items():
        assert len(body) <= limit_bytes, name
        spent_each: list[float] = []
        for _ in range(repeats):
            started = time.thread_time()
            answer = post(body, content_type)
            spent_each.append(time.thread_time() - started)
            code = answer.json().get("code")
            assert answer.status_code in (400, 415), (
                name,
                answer.status_code,
                answer.content[:300],
            )
        per_body[name] = {
            "bytes": len(body),
            "cpu_us": round(statistics.median(spent_each) * 1e6, 1),
            "code": code,
        }
    base_us = statistics.median(normal) * 1e6
    worst = max(per_body, key=lambda name: per_body[name]["cpu_us"])
    log(f"hostile_cpu: normal {base_us:.0f} us; worst {worst} {per_body[worst]['cpu_us']:.0f} us")
    return figure(
        per_body[worst]["cpu_us"],
        base_us,
        "CPU us per request",
        worst=worst,
        repeats=repeats,
        max_body_bytes=limit_bytes,
        bodies=per_body,
    )
