"""The bench run's own databases and topics on the shared servers: where they are (the
environment, else .env), made, emptied and removed.

MySQL `test_techbank_bench` (created and dropped here), Mongo `techbank_bench` (dropped), Kafka
topics `bench.<run>.*` and the run's consumer groups (deleted with tests/harness/kafka.py). The
event store is emptied between figures (reset_event_store): see bench/README.md for why.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from tests.harness.processes import ROOT

MONGO_DB = "techbank_bench"
MYSQL_DB = "test_techbank_bench"


def configured(name: str, default: str) -> str:
    """A setting as the environment, or else the checkout's .env, gives it."""
    return os.environ.get(name) or _dotenv().get(name) or default


def _dotenv() -> dict[str, str]:
    values: dict[str, str] = {}
    path = ROOT / ".env"
    if path.exists():
        for line in path.read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, _, value = line.partition("=")
                values[key.strip()] = value.strip().strip("'\"")
    return values


def mysql(url: str, database: str = "") -> Any:
    """A MySQLdb connection (autocommit) with `url`'s credentials, to `database` or none."""
    import MySQLdb

    parts = urlsplit(url)
    return MySQLdb.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 3306,
        user=parts.username or "",
        password=parts.password or "",
        database=database,
        autocommit=True,
    )


def create_mysql(url: str) -> None:
    """The run's MySQL database, empty (dropped first if an earlier run left it)."""
    drop_mysql(url)
    _execute(url, f"CREATE DATABASE `{MYSQL_DB}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")


def drop_mysql(url: str) -> None:
    _execute(url, f"DROP DATABASE IF EXISTS `{MYSQL_DB}`")


def _execute(url: str, sql: str) -> None:
    connection = mysql(url)
    try:
        connection.cursor().execute(sql)
    finally:
        connection.close()


def drop_mongo(url: str) -> None:
    import pymongo

    with pymongo.MongoClient[dict[str, Any]](url, serverSelectionTimeoutMS=5000) as client:
        client.drop_database(MONGO_DB)


def truncate_read_models() -> None:
    from django.db import connection

    from apps.accounts_query.models import Account, StatementLine

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE TABLE {Account._meta.db_table}")
        cursor.execute(f"TRUNCATE TABLE {StatementLine._meta.db_table}")


def reset_event_store() -> None:
    """Empties the bench event store (events, snapshots, pending markers) and re-indexes it.

    On FerretDB 1.24's SQLite backend an `_id` lookup is a table scan (bench/README.md), so
    every write figure starts from an empty store to stay comparable with its raw limit.
    """
    import mongoengine

    from apps.eventstore.store import ensure_indexes

    from .wired import publisher

    publisher().flush(30)
    db = mongoengine.get_db()
    for name in ("events", "snapshots", "checkpoints", "pending_publications"):
        db.drop_collection(name)
    ensure_indexes()


def store_size() -> int:
    from .wired import event_store

    return event_store().count()
