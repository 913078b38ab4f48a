"""The projection figure's raw limits (bench/projection.py): a bare confluent_kafka consumer
reading the backlog's topic (no decoding), and MySQL doing the projection's writes by hand, per
500-event slice of a partition: one transaction with the bulk upsert of the slice's rows and the
bulk insert of its statement lines, rows and lines precomputed."""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

from .backends import truncate_read_models
from .harness import Bench

BATCH = 500  # consume_events' default --batch-size


def raw_kafka(bench: Bench, topic: str, total: int) -> float:
    from confluent_kafka import Consumer

    consumer = Consumer(
        {
            "bootstrap.servers": bench.kafka,
            "group.id": bench.group_name("raw"),
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "log_level": 3,
        }
    )
    consumer.subscribe([topic])
    count, t0 = 0, 0.0
    deadline = time.monotonic() + 300
    try:
        while count < total and time.monotonic() < deadline:
            messages = consumer.consume(BATCH, 1.0)
            if messages and not t0:
                t0 = time.perf_counter()
            count += sum(1 for m in messages if not m.error())
        elapsed = time.perf_counter() - t0
    finally:
        consumer.close()
    if count < total:
        raise RuntimeError(f"raw consumer read {count}/{total}")
    return count / elapsed


def raw_mysql(bench: Bench, by_partition: list[list[Any]]) -> float:
    from django.db import transaction

    from apps.accounts_query.domain.account_fold import apply
    from apps.accounts_query.domain.statement import statement_entry
    from apps.accounts_query.infrastructure.account_rows import MySqlAccountRows
    from apps.accounts_query.infrastructure.statement_lines import MySqlStatementLines

    from .wired import as_message

    rows, lines = MySqlAccountRows(), MySqlStatementLines()

    slices: list[tuple[list[Any], list[Any]]] = []
    state: dict[Any, Any] = defaultdict(lambda: None)
    for events in by_partition:
        for start in range(0, len(events), BATCH):
            changed, entries = {}, []
            for event in events[start : start + BATCH]:
                message = as_message(event)
                state[message.aggregate_id] = changed[message.aggregate_id] = apply(
                    state[message.aggregate_id], message
                )
                if (entry := statement_entry(message)) is not None:
                    entries.append(entry)
            slices.append((list(changed.values()), entries))
    truncate_read_models()
    t0 = time.perf_counter()
    for part, entries in slices:
        with transaction.atomic():
            rows.upsert(part)
            lines.add(entries)
    elapsed = time.perf_counter() - t0
    truncate_read_models()
    return sum(len(events) for events in by_partition) / elapsed
