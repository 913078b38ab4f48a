"""Isolated backends, child processes and their clean-up, and the small helpers every figure uses.

Isolation: Mongo database `techbank_bench`, MySQL database `test_techbank_bench`, Kafka topics
`bench.<run>.*`, consumer groups `bench-<run>-*`, HTTP ports 8100-8199. All of it is created
here and removed again on the way out, whatever the way out is (an error, Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
MONGO_DB = "techbank_bench"
MYSQL_DB = "test_techbank_bench"
PORTS = range(8100, 8200)
LOCK_FILE = Path("/tmp/techbank-bench.lock")


def read_dotenv(path: Path = ROOT / ".env") -> dict[str, str]:
    values: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, _, value = line.partition("=")
                values[key.strip()] = value.strip().strip("'\"")
    return values


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of `values`; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def figure(
    value: float, limit: float, unit: str, ratio: float | None = None, **details: Any
) -> dict[str, Any]:
    """One result: ours, the raw limit, ours/limit (unless given), and whatever explains them."""
    if ratio is None:
        ratio = value / limit if limit else 0.0
    return {
        "value": round(value, 3),
        "limit": round(limit, 3),
        "ratio": round(ratio, 3),
        "unit": unit,
        **details,
    }


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Child:
    name: str
    process: subprocess.Popen
    log_path: Path
    log_file: TextIO


@dataclass
class Bench:
    """The run's isolated backends and children. Use as a context manager."""

    quick: bool
    run: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    children: list[Child] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    token: str = ""

    def __post_init__(self) -> None:
        dotenv = read_dotenv()

        def setting(name: str, default: str) -> str:
            return os.environ.get(name) or dotenv.get(name) or default

        self.kafka = setting("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
        self.mysql_url = with_database(
            setting("DATABASE_URL", "mysql://techbank:techbank@127.0.0.1:3306/techbank"), MYSQL_DB
        )
        self.mongo_url = with_database(
            setting("MONGODB_URL", "mongodb://127.0.0.1:27017/techbank"), MONGO_DB
        )
        self.out = ROOT / "bench" / "out" / self.run
        self.topic = self.topic_name("account-events")
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": self.mysql_url,
            "MONGODB_URL": self.mongo_url,
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka,
            "KAFKA_EVENTS_TOPIC": self.topic,
            "KAFKA_DEAD_LETTER_TOPIC": f"{self.topic}.dead-letter",
            "KAFKA_CONSUMER_GROUP": self.group_name("accounts-query"),
            "EVENT_PUBLISHING": "true",
            "DEBUG": "false",
            # consume_events' health port: a free one, beside whatever else runs here.
            "WORKER_HTTP_PORT": "0",
            "SECRET_KEY": setting("SECRET_KEY", "") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # The limits stay on (their cost is measured) but far above what one client sends.
            "THROTTLE_COMMANDS_RATE": "1000000/min",
            "THROTTLE_READS_RATE": "1000000/min",
            "PYTHONUNBUFFERED": "1",
        }
        self.topics = [self.topic, f"{self.topic}.dead-letter"]

    def topic_name(self, suffix: str) -> str:
        return f"bench.{self.run}.{suffix}"

    def group_name(self, suffix: str) -> str:
        name = f"bench-{self.run}-{suffix}"
        self.groups.append(name)
        return name

    # --- lifecycle ----------------------------------------------------------------------
    def __enter__(self) -> Bench:
        self._lock = LOCK_FILE.open("w")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SystemExit(f"another benchmark run holds {LOCK_FILE}; wait for it") from None
        # SIGTERM (and SIGHUP) unwind like Ctrl-C, so every `finally` below runs.
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, _raise_interrupt)
        self.out.mkdir(parents=True, exist_ok=True)
        try:
            self._set_up()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _set_up(self) -> None:
        log(f"run {self.run}: mongo {MONGO_DB}, mysql {MYSQL_DB}, topics bench.{self.run}.*")
        self._drop_mongo()
        self._mysql_admin(f"DROP DATABASE IF EXISTS `{MYSQL_DB}`")
        self._mysql_admin(
            f"CREATE DATABASE `{MYSQL_DB}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        )
        self.create_topics(self.topics, partitions=6)
        # migrate also creates the event store's indexes (post_migrate).
        self.manage(["migrate", "--noinput", "-v0"], check=True)
        os.environ.update(self.env)
        import django

        django.setup()
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command("create_api_client", "bench-teller", role="teller", stdout=out)
        self.token = out.getvalue().split()[-1]

    def close(self) -> None:
        for child in reversed(self.children):
            self.stop(child)
        cleanups = [
            ("mongo", self._drop_mongo),
            ("mysql", lambda: self._mysql_admin(f"DROP DATABASE IF EXISTS `{MYSQL_DB}`")),
            ("kafka", self._delete_kafka),
        ]
        for name, cleanup in cleanups:
            try:
                cleanup()
            except Exception as exc:
                log(f"clean-up of {name} failed: {exc}")
        with contextlib.suppress(Exception):
            self._lock.close()

    # --- children -----------------------------------------------------------------------
    def spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> Child:
        log_path = self.out / f"{name}.log"
        log_file = log_path.open("a")
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env or self.env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: gunicorn's workers go with it
        )
        child = Child(name, process, log_path, log_file)
        self.children.append(child)
        return child

    def stop(self, child: Child, timeout: float = 15.0) -> None:
        if child.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.process.pid, signal.SIGTERM)
            try:
                child.process.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.process.pid, signal.SIGKILL)
                child.process.wait(5)
        child.log_file.close()
        if child in self.children:
            self.children.remove(child)

    def manage(
        self, args: list[str], env: dict[str, str] | None = None, check: bool = True
    ) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [PY, "manage.py", *args],
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result

    def start_gunicorn(
        self, name: str, workers: int, env: dict[str, str] | None = None
    ) -> tuple[Child, int]:
        port = free_port()
        child = self.spawn(
            name,
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "techbank.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--graceful-timeout",
                "10",
                "--access-logfile",
                str(self.out / f"{name}.access.log"),
            ],
            env,
        )
        deadline = time.monotonic() + 60
        while True:
            if child.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {child.log_path}")
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/bench/noop/",
                    data=b"{}",
                    method="POST",
                    headers={"Content-Type": "application/json"},
                )
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not answer; see {child.log_path}") from None
                time.sleep(0.2)
        # Every worker imports Django lazily; touch them all before anything is measured.
        for _ in range(workers * 4):
            http_json("POST", port, "/bench/noop/", {})
        return child, port

    # --- backends -----------------------------------------------------------------------
    def _mysql_admin(self, sql: str) -> None:
        import MySQLdb

        parts = urlsplit(self.mysql_url)
        connection = MySQLdb.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 3306,
            user=parts.username or "",
            password=parts.password or "",
        )
        try:
            connection.cursor().execute(sql)
        finally:
            connection.close()

    def _drop_mongo(self) -> None:
        import pymongo

        with pymongo.MongoClient(self.mongo_url, serverSelectionTimeoutMS=5000) as client:
            client.drop_database(MONGO_DB)

    def create_topics(self, names: list[str], partitions: int) -> None:
        from confluent_kafka.admin import AdminClient, NewTopic

        from kernel.kafka_config import admin_config

        admin = AdminClient(admin_config(self.kafka))
        for name in names:
            if name not in self.topics:
                self.topics.append(name)
        wanted = [NewTopic(n, 1 if n.endswith("dead-letter") else partitions, 1) for n in names]
        for future in admin.create_topics(wanted, request_timeout=30).values():
            future.result()

    def _delete_kafka(self) -> None:
        from confluent_kafka.admin import AdminClient

        from kernel.kafka_config import admin_config

        admin = AdminClient(admin_config(self.kafka))
        prefix = f"bench.{self.run}."
        mine = [t for t in admin.list_topics(timeout=10).topics if t.startswith(prefix)]
        if mine:
            for future in admin.delete_topics(mine, request_timeout=30).values():
                with contextlib.suppress(Exception):
                    future.result()
        if self.groups:
            for future in admin.delete_consumer_groups(self.groups, request_timeout=30).values():
                with contextlib.suppress(Exception):  # a group that never committed is absent
                    future.result()

    def truncate_read_models(self) -> None:
        from django.db import connection

        from apps.accounts_query.models import Account, StatementLine

        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE TABLE {Account._meta.db_table}")
            cursor.execute(f"TRUNCATE TABLE {StatementLine._meta.db_table}")


def _raise_interrupt(signum: int, _: object) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8100-8199")


def http_json(
    method: str, port: int, path: str, body: dict | None = None, token: str = ""
) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, method=method, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def wait_for(probe: Any, timeout: float, interval: float = 0.1, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


@contextlib.contextmanager
def stopwatch() -> Iterator[list[float]]:
    """`with stopwatch() as elapsed:` ... `elapsed[0]` is the seconds the block took."""
    elapsed = [0.0]
    started = time.perf_counter()
    try:
        yield elapsed
    finally:
        elapsed[0] = time.perf_counter() - started


def run_loadgen(bench: Bench, name: str, spec: dict[str, Any], timeout: float = 300) -> dict:
    """Runs bench.loadgen in its own process with `spec`; returns what it reports."""
    path = bench.out / f"{name}.spec.json"
    path.write_text(json.dumps(spec))
    result = subprocess.run(
        [PY, "-m", "bench.loadgen", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"load generator failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


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
