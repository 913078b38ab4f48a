"""(2) write_http: deposits/s and latency through the command API served by gunicorn.

gunicorn runs as production does (scripts/run.sh: `gunicorn techbank.wsgi` with
gunicorn.conf.py, so gthread workers of WEB_THREADS threads, an access log), with
bench.settings so that the same server also answers `POST /bench/noop/`
(bench/trivial_urls.py): the raw limit, a DRF view that does nothing. The load generator is a
separate process (bench/loadgen.py) with a fixed number of connections.
"""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

from .backends import reset_event_store, store_size
from .harness import Bench
from .report import figure
from .throughput import throughput


def workers() -> int:
    return (os.cpu_count() or 2) + 1  # scripts/run.sh's default of 3 on this 2-core machine


def server_model() -> dict[str, Any]:
    """How the measured gunicorn serves: gunicorn.conf.py's worker class and threads."""
    from django.conf import settings

    return {
        "gunicorn_workers": workers(),
        "worker_class": "gthread",
        "threads": settings.WEB_THREADS,
    }


def against_noop(ours: dict[str, Any], noop: dict[str, Any]) -> dict[str, Any]:
    """The details of an HTTP figure: the server, the load, and both sides' latencies."""
    return {
        **server_model(),
        "connections": 2 * workers(),
        "ours_p50_ms": ours["p50_ms"],
        "ours_p99_ms": ours["p99_ms"],
        "noop_p50_ms": noop["p50_ms"],
        "noop_p99_ms": noop["p99_ms"],
        "ours_requests": ours["requests"],
    }


def accounts(count: int) -> list[str]:
    from apps.accounts_command.domain.commands import OpenAccount

    from .wired import command_dispatcher

    dispatcher = command_dispatcher()
    return [
        str(
            dispatcher.dispatch(
                OpenAccount("Bench Holder", "SAVINGS", Decimal("100.00"))
            ).account_id
        )
        for _ in range(count)
    ]


def load(bench: Bench, name: str, port: int, requests: list, token: str = "") -> dict[str, Any]:
    return throughput(
        bench,
        name,
        port,
        requests,
        connections=2 * workers(),
        seconds=(1.0, 4.0) if bench.quick else (3.0, 15.0),
        max_requests=5_000 if bench.quick else 50_000,
        token=token,
    )


def measure(bench: Bench) -> dict[str, Any]:
    reset_event_store()
    ids = accounts(200 if bench.quick else 1000)
    deposits = [[f"/api/v1/accounts/{a}/deposit/", {"amount": "1.00"}] for a in ids]
    child, port = bench.start_gunicorn("gunicorn-write-http", workers())
    try:
        noop = load(bench, "http-noop", port, [["/bench/noop/", {"amount": "1.00"}]])
        ours = load(bench, "http-deposit", port, deposits, bench.token)
    finally:
        bench.stop(child)
    return figure(
        ours["rate"],
        noop["rate"],
        "commands/s",
        **against_noop(ours, noop),
        ours_non_200=ours["non_200"],
        store_events_at_end=store_size(),
        publishing=True,
    )
