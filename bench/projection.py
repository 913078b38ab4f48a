"""(4) projection: events/s from a Kafka backlog into the MySQL read models.

The backlog (complete streams v1..n, so the consumer never reads the store for a gap) is
produced straight to a topic of its own with the wire format of apps/eventstore/wire.py (signed,
as the publisher signs: the consumer checks every signature), each account on one partition.
Then `consume_events --no-relay` (1, then 2 processes, each time a fresh group and empty read
models) drains it. The rate is taken from the group's committed offsets: from the first commit
to the last, so process start-up and the group join are not in it.

Raw limits, same run, same topic and rows: a bare confluent_kafka consumer reading the topic
(no decoding), and MySQL doing the projection's writes by hand: per 500-event slice of a
partition, one transaction with the bulk upsert of the slice's rows
(apps/accounts_query/infrastructure/account_rows.py) and the bulk insert of its statement lines
(statement_lines.py), rows and lines precomputed. The consumer writes both in one transaction per
batch, so a limit without the lines would compare unequal work.
ratio = ours / the slower raw limit.
"""

from __future__ import annotations

import time
from typing import Any

from kernel.kafka_messages import produced
from tests.harness.processes import PY
from tests.support import wait_until

from .backends import truncate_read_models
from .harness import Bench
from .projection_limits import BATCH, raw_kafka, raw_mysql
from .report import figure, log
from .streams import interleave, new_ids, stream

PARTITIONS = 6


def backlog(quick: bool) -> tuple[int, int]:
    """(accounts, events per account)."""
    return (100, 50) if quick else (1000, 100)


def produce(bench: Bench, topic: str, streams: list[list[Any]]) -> list[list[Any]]:
    """Produces every stream to `topic`; returns the events of each partition, in order."""
    from confluent_kafka import Producer
    from django.conf import settings

    from apps.contract.signing import keyring
    from apps.eventstore import wire

    # Signed as the publisher signs: the consumer authenticates every message it projects.
    ring = keyring(settings)
    producer = Producer(
        {
            "bootstrap.servers": bench.kafka,
            "linger.ms": 20,
            "acks": "all",
            "queue.buffering.max.messages": 500_000,
            "log_level": 3,
        }
    )
    partition_of = {s[0].aggregate_id: i % PARTITIONS for i, s in enumerate(streams)}
    by_partition: list[list[Any]] = [[] for _ in range(PARTITIONS)]
    for event in interleave(streams):
        partition = partition_of[event.aggregate_id]
        by_partition[partition].append(event)
        key, value, headers = wire.outgoing(event, ring)
        while True:
            try:
                producer.produce(
                    topic, key=key, value=value, headers=produced(headers), partition=partition
                )
                break
            except BufferError:
                producer.poll(0.1)
        producer.poll(0)
    if producer.flush(120):
        raise RuntimeError("the backlog was not fully produced")
    return by_partition


class Committed:
    """The group's committed offsets, summed over the topic's partitions.

    One client for the whole measurement, never subscribed: a new client per look (20 a
    second) took CPU from the consumers being timed on this 2-core machine.
    """

    def __init__(self, bench: Bench, topic: str, group: str) -> None:
        from confluent_kafka import Consumer, TopicPartition

        self.parts = [TopicPartition(topic, p) for p in range(PARTITIONS)]
        self.consumer = Consumer(
            {
                "bootstrap.servers": bench.kafka,
                "group.id": group,
                "enable.auto.commit": False,
                "log_level": 3,
            }
        )

    def __call__(self) -> int:
        return sum(max(0, p.offset) for p in self.consumer.committed(self.parts, 10))

    def close(self) -> None:
        self.consumer.close()


def ours(bench: Bench, topic: str, total: int, processes: int) -> dict[str, Any]:
    truncate_read_models()
    group = bench.group_name(f"projection-{processes}")
    children = [
        bench.spawn(
            f"consume-events-{processes}-{i}",
            [
                PY,
                "manage.py",
                "consume_events",
                "--no-relay",
                "--group",
                group,
                "--topic",
                topic,
            ],
        )
        for i in range(processes)
    ]
    committed = Committed(bench, topic, group)
    try:
        first = wait_until(committed, 120, 0.05, "a first commit")
        t0 = time.perf_counter()
        deadline = t0 + 1800
        done = first
        while done < total:
            if time.perf_counter() > deadline or any(
                c.process.poll() is not None for c in children
            ):
                raise RuntimeError(f"consume_events stopped at {done}/{total}")
            time.sleep(0.05)
            done = committed()
        elapsed = time.perf_counter() - t0
    finally:
        committed.close()
        for child in children:
            bench.stop(child)
    return {
        "rate": (total - first) / elapsed,
        "events_timed": total - first,
        "seconds": round(elapsed, 2),
    }


def final_rows_ok(accounts: int, version: int) -> bool:
    from apps.accounts_query.models import Account

    return Account.objects.filter(version=version).count() == accounts


def measure(bench: Bench) -> dict[str, Any]:
    accounts, length = backlog(bench.quick)
    total = accounts * length
    topic = bench.topic_name("projection")
    bench.create_topics([topic], partitions=PARTITIONS)
    by_partition = produce(bench, topic, [stream(a, length) for a in new_ids(accounts)])
    log(f"projection: {total} events across {accounts} accounts produced to {topic}")
    kafka = raw_kafka(bench, topic, total)
    mysql = raw_mysql(bench, by_partition)
    log(f"projection raw: kafka {kafka:.0f}/s, mysql rows + statement lines {mysql:.0f}/s")
    runs = {}
    for processes in (1, 2):
        runs[processes] = ours(bench, topic, total, processes)
        runs[processes]["rows_complete"] = final_rows_ok(accounts, length)
        log(
            f"projection {processes} consume_events: {runs[processes]['rate']:.0f} events/s "
            f"(rows complete: {runs[processes]['rows_complete']})"
        )
    best = max(runs, key=lambda p: runs[p]["rate"])
    slower = min(kafka, mysql)
    truncate_read_models()
    return figure(
        runs[best]["rate"],
        slower,
        "events/s",
        headline=f"best of 1 and 2 consume_events processes ({best})",
        processes_1=figure(runs[1]["rate"], slower, "events/s", **runs[1]),
        processes_2=figure(runs[2]["rate"], slower, "events/s", **runs[2]),
        raw_kafka_consume=round(kafka, 1),
        # Rows and statement lines, as the consumer writes them (the name is kept for history).
        raw_mysql_upsert=round(mysql, 1),
        limited_by="kafka" if kafka < mysql else "mysql",
        events=total,
        accounts=accounts,
        partitions=PARTITIONS,
        batch_size=BATCH,
    )
