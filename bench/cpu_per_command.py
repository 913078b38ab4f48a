"""cpu_per_command: the CPU milliseconds one deposit costs every process of the system, and one
GET by id; read from /proc around a closed-loop load (bench/process_cpu.py).

The system runs as `make run` runs it: gunicorn (gunicorn.conf.py, 3 workers), one
consume_events, one run_transfers, one project_users, on topics and groups of their own; the
three servers are the shared ones, found by their ports. The load generator sends deposits from
6 keep-alive connections (as an HTTP client library would), and its own CPU is counted too
(getrusage of the waited-for child). The window closes once the read model and the actors' trail
hold every event, so the consumers' work for the measured commands is inside it.
"""

from __future__ import annotations

import resource
from typing import Any
from urllib.parse import urlsplit

from tests.harness.processes import PY
from tests.support import wait_until

from . import process_cpu
from .backends import reset_event_store, store_size
from .harness import Bench, Child
from .report import figure, http_json, log
from .throughput import throughput
from .write_http import workers

TARGET_TOTAL_MS = 6.0
TARGETS_MS = {"web": 2.5, "kafka": 0.5, "total": 6.0, "web_per_get": 1.0}
ACCOUNTS = 200


def system_env(bench: Bench) -> dict[str, str]:
    names = ("account-events-cpu", "transfer-events-cpu", "user-events-cpu")
    accounts, transfers, users = (bench.topic_name(n) for n in names)
    bench.create_topics([accounts, transfers, users, f"{accounts}.dead-letter"], partitions=6)
    return {
        **bench.env,
        "KAFKA_EVENTS_TOPIC": accounts,
        "KAFKA_TRANSFER_EVENTS_TOPIC": transfers,
        "KAFKA_USER_EVENTS_TOPIC": users,
        "KAFKA_DEAD_LETTER_TOPIC": f"{accounts}.dead-letter",
        **{
            setting: bench.group_name(f"cpu-{suffix}")
            for setting, suffix in (
                ("KAFKA_CONSUMER_GROUP", "accounts"),
                ("TRANSFERS_CONSUMER_GROUP", "transfers"),
                ("TRANSFERS_PROJECTION_GROUP", "transfer-rows"),
                ("USERS_CONSUMER_GROUP", "users"),
                ("USERS_TRAIL_GROUP", "trail"),
            )
        },
        "TRANSFERS_HEALTH_PORT": "0",
        "USERS_HEALTH_PORT": "0",
    }


def servers(bench: Bench) -> dict[str, list[int]]:
    ports = {
        "ferretdb": urlsplit(bench.mongo_url).port or 27017,
        "kafka": int(bench.kafka.split(",")[0].rsplit(":", 1)[1]),
        "mariadb": urlsplit(bench.mysql_url).port or 3306,
    }
    found = {name: process_cpu.listener(port) for name, port in ports.items()}
    if missing := [name for name, pid in found.items() if pid is None]:
        raise RuntimeError(f"no process listens for {missing}: are the servers up?")
    return {name: [pid] for name, pid in found.items() if pid is not None}


def caught_up() -> bool:
    """Every stored account event is in the read model and in the actors' trail."""
    from django.db.models import Sum

    from apps.accounts_query.models import Account
    from apps.identity.models import ActorAction

    events = store_size()
    projected = Account.objects.aggregate(n=Sum("version"))["n"] or 0
    trail = ActorAction.objects.filter(aggregate_type="BankAccount").count()
    return projected == events and trail >= events


def measured(bench: Bench, groups: dict[str, list[int]], name: str, **load: Any) -> dict:
    """The load's report and each group's CPU ms per request (the loader's included)."""
    wait_until(caught_up, timeout=120, what="the read side to catch up before measuring")
    before, loader_before = (
        process_cpu.snapshot(groups),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    result = throughput(bench, name, keepalive=True, connections=6, **load)
    loader = resource.getrusage(resource.RUSAGE_CHILDREN)
    wait_until(caught_up, timeout=120, what="the read side to take in the measured events")
    cost = process_cpu.spent(before, process_cpu.snapshot(groups))
    cost["load_generator"] = (
        loader.ru_utime + loader.ru_stime - loader_before.ru_utime - loader_before.ru_stime
    )
    sent = result["total_sent"]
    per = {k: round(v * 1000 / sent, 3) for k, v in cost.items()}
    per["total"] = round(sum(cost.values()) * 1000 / sent, 3)
    log(f"{name}: {sent} requests, CPU ms each: {per}")
    return {"requests": sent, "rate": result["rate"], "p99_ms": result["p99_ms"], "ms": per}


def open_accounts(port: int, token: str) -> list[str]:
    body = {"holder": "CPU Holder", "account_type": "SAVINGS", "opening_balance": "100.00"}
    opened = [
        http_json("POST", port, "/api/v1/accounts/open/", body, token) for _ in range(ACCOUNTS)
    ]
    if bad := [status for status, _ in opened if status != 201]:
        raise RuntimeError(f"opening the accounts answered {bad[:5]}")
    return [answer["id"] for _, answer in opened]


def measure(bench: Bench) -> dict[str, Any]:
    reset_event_store()
    env = system_env(bench)
    children: list[Child] = [
        bench.spawn(f"cpu-{name}", [PY, "manage.py", name], env)
        for name in ("consume_events", "run_transfers", "project_users")
    ]
    # The raw read limit's WSGI callable, which hands every other path to TechBank's own: the
    # floors of a GET (the bare read, the no-op DRF view) are measured on the same server.
    web, port = bench.start_gunicorn("gunicorn-cpu", workers(), env, app="bench.raw_read")
    children.append(web)
    try:
        groups = {
            "web": process_cpu.descendants(web.process.pid),
            **{c.name.removeprefix("cpu-"): [c.process.pid] for c in children if c is not web},
            **servers(bench),
        }
        ids = open_accounts(port, bench.token)
        seconds = (1.0, 4.0) if bench.quick else (2.0, 15.0)
        deposits = measured(
            bench,
            groups,
            "cpu-deposit",
            port=port,
            requests=[[f"/api/v1/accounts/{a}/deposit/", {"amount": "1.00"}] for a in ids],
            seconds=seconds,
            max_requests=50_000,
            token=bench.token,
        )
        gets = measured(
            bench,
            groups,
            "cpu-get",
            port=port,
            requests=[[f"/api/v1/accounts/{a}/", None] for a in ids],
            seconds=seconds,
            max_requests=100_000,
            method="GET",
            token=bench.token,
        )
        floors = {
            name: measured(
                bench,
                groups,
                f"cpu-{name}",
                port=port,
                requests=[[path.format(a), None] for a in ids],
                seconds=seconds,
                max_requests=100_000,
                method="GET",
                token=bench.token,
            )["ms"]["web"]
            for name, path in (("raw_get", "/raw/accounts/{}/"), ("noop_get", "/bench/noop/"))
        }
    finally:
        for child in reversed(children):
            bench.stop(child)
    per_deposit, per_get = deposits["ms"], gets["ms"]
    return figure(
        per_deposit["total"],
        TARGET_TOTAL_MS,
        "CPU ms per deposit (all processes)",
        per_deposit=per_deposit,
        per_get=per_get,
        # The web's CPU for the same GET done raw (bench/raw_read.py) and for DRF's no-op view.
        web_floors_ms=floors,
        targets_ms=TARGETS_MS,
        met={
            "web": per_deposit["web"] <= TARGETS_MS["web"],
            "kafka": per_deposit["kafka"] <= TARGETS_MS["kafka"],
            "total": per_deposit["total"] <= TARGETS_MS["total"],
            "web_per_get": per_get["web"] <= TARGETS_MS["web_per_get"],
        },
        deposits=deposits["requests"],
        deposits_per_s=round(deposits["rate"], 1),
        deposit_p99_ms=deposits["p99_ms"],
        gets=gets["requests"],
        gets_per_s=round(gets["rate"], 1),
        connections=6,
        keepalive=True,
    )
