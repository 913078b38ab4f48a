"""The bench run: its isolated backends, its child processes, and their clean-up.

Isolation: Mongo database `techbank_bench`, MySQL database `test_techbank_bench`, Kafka topics
`bench.<run>.*`, consumer groups `bench-<run>-*` (bench/backends.py), HTTP servers on free ports.
All of it is created here and removed again on the way out, whatever the way out is (an error,
Ctrl-C, SIGTERM). Children are started and stopped by the test harness (tests/harness/), as the
tests start theirs.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import signal
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tests.harness.gunicorn import Gunicorn, answers
from tests.harness.kafka import create_topics, delete_topics
from tests.harness.processes import PY, ROOT, spawn, stop
from tests.harness.tokens import token_for
from tests.harness.urls import with_database

from . import backends
from .backends import MONGO_DB, MYSQL_DB
from .report import http_json, log

LOCK_FILE = Path("/tmp/techbank-bench.lock")


@dataclass
class Child:
    name: str
    process: subprocess.Popen
    log_path: Path


@dataclass
class Bench:
    """The run's isolated backends and children. Use as a context manager."""

    quick: bool
    run: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    children: list[Child] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    token: str = ""

    def __post_init__(self) -> None:
        setting = backends.configured
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
            # migrate on the bench's own database too (test_techbank%: the app user's grant).
            "MIGRATION_DATABASE_URL": self.mysql_url,
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
            **{
                f"THROTTLE_{scope}_RATE": "1000000/min"
                for scope in ("COMMANDS", "READS", "EVENTS", "AS_OF", "STATEMENT", "TRANSFERS")
            },
            "PYTHONUNBUFFERED": "1",
        }

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
        backends.drop_mongo(self.mongo_url)
        backends.create_mysql(self.mysql_url)
        self.create_topics([self.topic, f"{self.topic}.dead-letter"], partitions=6)
        # migrate also creates the event store's indexes (post_migrate).
        self.manage(["migrate", "--noinput", "-v0"], check=True)
        os.environ.update(self.env)
        import django

        django.setup()
        self.token = token_for("teller", "bench-teller")

    def close(self) -> None:
        for child in reversed(self.children):
            self.stop(child)
        cleanups = [
            ("mongo", lambda: backends.drop_mongo(self.mongo_url)),
            ("mysql", lambda: backends.drop_mysql(self.mysql_url)),
            ("kafka", lambda: delete_topics(self.kafka, f"bench.{self.run}.", self.groups)),
        ]
        for name, cleanup in cleanups:
            try:
                cleanup()
            except Exception as exc:
                log(f"clean-up of {name} failed: {exc}")
        with contextlib.suppress(Exception):
            self._lock.close()

    def create_topics(self, names: list[str], partitions: int) -> None:
        wanted = {n: 1 if n.endswith("dead-letter") else partitions for n in names}
        create_topics(self.kafka, wanted)

    # --- children -----------------------------------------------------------------------
    def spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> Child:
        """A child in a process group of its own (gunicorn's workers go with it)."""
        log_path = self.out / f"{name}.log"
        child = Child(name, spawn(argv, log_path, env or self.env, group=True), log_path)
        self.children.append(child)
        return child

    def stop(self, child: Child, timeout: float = 15.0) -> None:
        stop(child.process, timeout)
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
        self, name: str, workers: int, env: dict[str, str] | None = None, app: str = "techbank.wsgi"
    ) -> tuple[Child, int]:
        """gunicorn as production runs it (gunicorn.conf.py), serving once `POST /bench/noop/`
        answers, every worker touched; a child of the run."""
        server = Gunicorn(
            self.out / f"{name}.log",
            *("--workers", str(workers), "--graceful-timeout", "10"),
            *("--access-logfile", str(self.out / f"{name}.access.log")),
            env=env or self.env,
            ready=lambda url: answers(f"{url}/bench/noop/", body=b"{}"),
            app=app,
        )
        try:
            server.start()
        finally:
            if server.process is not None:
                self.children.append(child := Child(name, server.process, server.log))
        # Every worker imports Django lazily; touch them all before anything is measured.
        for _ in range(workers * 4):
            http_json("POST", server.port, "/bench/noop/", {})
        return child, server.port


def _raise_interrupt(signum: int, _: object) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)
