"""Two probes behind bench/README.md's "peer and scale" section (not figures of `make bench`).

`python -m bench.where_cpu_goes scan` - on the scale data set (load it with
`python -m bench --only scale` first): the first 200,000 events read by a bare pymongo cursor,
by the same with 50 ms of work per batch, and by the store's prefetched full read; events/s and
FerretDB's CPU per event (/proc of the process listening on 27017).

`python -m bench.where_cpu_goes replay` - the account replay of the scale data set (its read
model emptied first), with the cores FerretDB, MariaDB and this process used every 10 s.

`python -m bench.where_cpu_goes write` - write_inprocess' workload at 8 client threads on the
bench's own databases: commands/s and the CPU per command of FerretDB, Kafka, MariaDB and this
process.

`python -m bench.where_cpu_goes get` - GETs of an account by id through the web process's WSGI
application called in a loop (no gunicorn, one thread), with the lean path on and off: this
process's CPU per GET (bench/README.md, "The lean path").
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from typing import Any

from . import process_cpu
from .cpu_per_command import servers
from .harness import Bench

SCANNED = 200_000


def timed_scan(name: str, batches: Iterable[Any], ferretdb: int, pause: float = 0.0) -> None:
    cpu, started, read = process_cpu.cpu_seconds(ferretdb), time.perf_counter(), 0
    for batch in batches:
        read += len(batch)
        time.sleep(pause)  # stands for the work a reader does with each batch
        if read >= SCANNED:
            break
    seconds = time.perf_counter() - started
    per_event = 1e6 * (process_cpu.cpu_seconds(ferretdb) - cpu) / read
    print(f"{name}: {read / seconds:,.0f} events/s, FerretDB {per_event:.0f} us CPU an event")


def on_scale_data(bench: Bench) -> str:
    """Django set up on the scale data set's databases (as the scale figure's children are);
    returns its Mongo URL."""
    import os

    import django

    from .scale import scale_env

    os.environ.update(scale_env(bench))
    django.setup()
    return os.environ["MONGODB_URL"]


def scan() -> None:
    import pymongo

    from .scale import MONGO_DB

    bench = Bench(quick=True)  # names the servers and databases; creates nothing
    url = on_scale_data(bench)
    from apps.eventstore.prefetch import prefetched

    from .wired import event_store

    ferretdb = servers(bench)["ferretdb"][0]
    events = pymongo.MongoClient[dict[str, Any]](url)[MONGO_DB].events

    def bare() -> Iterable[list[Any]]:
        cursor = iter(events.find({}, batch_size=2000))
        while batch := [doc for _, doc in zip(range(2000), cursor, strict=False)]:
            yield batch

    timed_scan("bare cursor", bare(), ferretdb)
    timed_scan("bare cursor, 50 ms of work a batch", bare(), ferretdb, pause=0.05)
    timed_scan(
        "prefetched cursor, 50 ms of work a batch",
        prefetched(events.find({}, batch_size=2000), 2000),
        ferretdb,
        pause=0.05,
    )
    timed_scan("the store's scan()", event_store().scan(2000), ferretdb)


def replay() -> None:
    import threading

    bench = Bench(quick=True)
    on_scale_data(bench)
    from apps.accounts_query import bootstrap

    from .backends import truncate_read_models

    truncate_read_models()
    groups, done = servers(bench), threading.Event()

    def sample() -> None:
        last = process_cpu.snapshot(groups), time.process_time(), time.time()
        while not done.wait(10):
            now = process_cpu.snapshot(groups), time.process_time(), time.time()
            span, cpu = now[2] - last[2], process_cpu.spent(last[0], now[0])
            shown = ", ".join(f"{name} {seconds / span:.2f}" for name, seconds in cpu.items())
            print(f"  cores: {shown}, replay {(now[1] - last[1]) / span:.2f}", flush=True)
            last = now

    threading.Thread(target=sample, daemon=True).start()
    result = bootstrap.replay().all()
    done.set()
    print(f"replayed {result.events:,} events in {result.seconds:.1f} s", end=" ")
    print(f"({result.events / result.seconds:,.0f} events/s)")


def write() -> None:
    with Bench(quick=True) as bench:
        from .write_inprocess import ours

        groups = servers(bench)
        ours(bench, 8, 800)  # warm: connections, caches, the publisher
        before, mine = process_cpu.snapshot(groups), time.process_time()
        commands = 8000
        rate = ours(bench, 8, commands)
        cpu = process_cpu.spent(before, process_cpu.snapshot(groups))
        spent = {name: 1000 * seconds / commands for name, seconds in cpu.items()}
        spent["this process (also opening the accounts)"] = (
            1000 * (time.process_time() - mine) / commands
        )
        shown = ", ".join(f"{name} {ms:.2f}" for name, ms in spent.items())
        print(f"{rate:.0f} commands/s at 8 threads; CPU ms a command: {shown}")


def ignore_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
    """A WSGI start_response that keeps nothing: only the CPU of the call is measured."""
    return lambda data: None


def get(count: int = 3000) -> None:
    import io

    from django.core.management import call_command
    from django.test import override_settings

    with Bench(quick=True) as bench:
        from techbank.wsgi import application

        from .backends import reset_event_store
        from .write_http import accounts

        reset_event_store()
        ids = accounts(50)
        call_command("replay_events", verbosity=0)  # their rows in the read model

        def one(account: str) -> None:
            environ = {
                "REQUEST_METHOD": "GET", "PATH_INFO": f"/api/v1/accounts/{account}/",
                "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000",
                "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.input": io.BytesIO(), "wsgi.url_scheme":
                "http", "HTTP_HOST": "127.0.0.1", "HTTP_ACCEPT": "application/json",
                "HTTP_AUTHORIZATION": f"Token {bench.token}", "REMOTE_ADDR": "127.0.0.1",
            }  # fmt: skip
            b"".join(application(environ, ignore_start))

        for lean in (False, True, False, True):
            with override_settings(API_LEAN_READS=lean):
                for account in ids:  # warm: the client known, a lease held
                    one(account)
                started = time.process_time()
                for n in range(count):
                    one(ids[n % len(ids)])
                spent = 1000 * (time.process_time() - started) / count
            print(f"lean path {'on ' if lean else 'off'}: {spent:.3f} ms of CPU a GET", flush=True)


if __name__ == "__main__":
    {"scan": scan, "replay": replay, "write": write, "get": get}[
        sys.argv[1] if len(sys.argv) > 1 else "scan"
    ]()
