"""Where e2e_latency's time goes, per deposit, lined up by request id on one wall clock.

- produced: the event's Kafka timestamp (CreateTime: when the web process handed it to its
  producer, inside the request);
- answered: when the load generator got the deposit's 200;
- projected: the worker's "event projected" line (LOG_LEVEL=DEBUG), written just after the
  batch's MySQL transaction committed;
- visible: when the GET that showed the new version came back.

So projected - produced is the read side's own latency (broker, fetch, decode, transaction),
and visible - max(answered, projected) is what the query API's GET adds (its queueing included).
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from kernel.kafka_messages import headers_of

from .report import percentile


def produced_at(kafka: str, topic: str, group: str, wanted: int) -> dict[str, float]:
    """request id -> Kafka timestamp (s), for the first `wanted` events that carry one."""
    from confluent_kafka import Consumer

    consumer = Consumer(
        {
            "bootstrap.servers": kafka,
            "group.id": group,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "log_level": 3,
        }
    )
    consumer.subscribe([topic])
    found: dict[str, float] = {}
    deadline = time.monotonic() + 30
    try:
        while len(found) < wanted and time.monotonic() < deadline:
            for message in consumer.consume(500, 1.0):
                if message.error():
                    continue
                request_id = dict(headers_of(message)).get("request_id")
                if request_id:
                    found[request_id.decode()] = message.timestamp()[1] / 1000
    finally:
        consumer.close()
    return found


def projected_at(worker_log: Path) -> dict[str, float]:
    """request id -> when the worker logged the event as projected (JSON log lines)."""
    found: dict[str, float] = {}
    for line in worker_log.read_text().splitlines():
        if '"event projected"' not in line:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if request_id := record.get("request_id"):
            found[request_id] = datetime.fromisoformat(record["time"]).timestamp()
    return found


def breakdown(
    trace: list[list[Any]], produced: dict[str, float], projected: dict[str, float]
) -> dict[str, Any]:
    """p50/p99 (ms) of each leg, over the deposits found in all three sources."""
    legs: dict[str, list[float]] = {
        "projected_after_produced": [],
        "projected_after_answered": [],
        "get_after_projected_and_answered": [],
    }
    for request_id, answered, visible in trace:
        if request_id not in produced or request_id not in projected:
            continue
        done = projected[request_id]
        legs["projected_after_produced"].append((done - produced[request_id]) * 1000)
        legs["projected_after_answered"].append((done - answered) * 1000)
        legs["get_after_projected_and_answered"].append((visible - max(answered, done)) * 1000)
    result: dict[str, Any] = {"traced": len(legs["projected_after_produced"])}
    for name, values in legs.items():
        result[f"{name}_p50_ms"] = round(percentile(values, 50), 1)
        result[f"{name}_p99_ms"] = round(percentile(values, 99), 1)
    return result
