"""Asks each server a real client question and prints one line per server.

Used by `make services` (with --wait, to block until all three answer) and
`make services-status`. Reads the URLs from the environment or `.env`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import environ

ROOT = Path(__file__).resolve().parent.parent


def check_mysql(env: environ.Env) -> str:
    import MySQLdb

    cfg = env.db_url("DATABASE_URL")
    conn = MySQLdb.connect(
        host=cfg["HOST"],
        port=int(cfg["PORT"] or 3306),
        user=cfg["USER"],
        password=cfg["PASSWORD"],
        database=cfg["NAME"],
        connect_timeout=2,
    )
    try:
        cur = conn.cursor()
        cur.execute("SELECT VERSION()")
        return f"SELECT VERSION() -> {cur.fetchone()[0]}"
    finally:
        conn.close()


def check_mongo(env: environ.Env) -> str:
    import pymongo

    client = pymongo.MongoClient[dict[str, Any]](
        env.str("MONGODB_URL"), serverSelectionTimeoutMS=2000
    )
    try:
        client.admin.command("ping")
        return f"ping ok, server {client.server_info()['version']}"
    finally:
        client.close()


def check_kafka(env: environ.Env) -> str:
    from confluent_kafka.admin import AdminClient

    admin = AdminClient(
        # log_level 0: while the broker starts, librdkafka would print every refused connect.
        {"bootstrap.servers": env.str("KAFKA_BOOTSTRAP_SERVERS"), "log_level": 0}
    )
    meta = admin.list_topics(timeout=2)
    return f"metadata ok, {len(meta.brokers)} broker(s), {len(meta.topics)} topic(s)"


CHECKS: dict[str, tuple[str, Callable[[environ.Env], str]]] = {
    "mysql": ("DATABASE_URL", check_mysql),
    "mongodb": ("MONGODB_URL", check_mongo),
    "kafka": ("KAFKA_BOOTSTRAP_SERVERS", check_kafka),
}


def where(env: environ.Env, var: str) -> str:
    value = env.str(var, default="")
    if "://" in value:
        parsed = urlparse(value)
        return f"{parsed.hostname}:{parsed.port}"
    return value or "(unset)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wait", type=float, default=0, help="seconds to keep retrying")
    args = parser.parse_args()
    environ.Env.read_env(ROOT / ".env")
    env = environ.Env()
    deadline = time.monotonic() + args.wait
    results: dict[str, str] = {}
    pending = dict(CHECKS)
    while True:
        for name, (_, check) in list(pending.items()):
            try:
                results[name] = "up    " + check(env)
                del pending[name]
            except Exception as exc:  # noqa: BLE001 — any failure means "not answering yet"
                results[name] = f"DOWN  {type(exc).__name__}: {exc}".splitlines()[0][:160]
        if not pending or time.monotonic() >= deadline:
            break
        time.sleep(0.5)
    for name, (var, _) in CHECKS.items():
        print(f"{name:8} {where(env, var):22} {results[name]}")
    return 1 if pending else 0


if __name__ == "__main__":
    sys.exit(main())
