"""Per-test Kafka topics and the messages the transfer consumer tests put on them."""

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import orjson
from confluent_kafka import Consumer, Message, Producer
from confluent_kafka.admin import NewTopic
from django.conf import settings

from apps.messaging.consumer import BatchConsumer, ConsumerSettings
from kernel.kafka_config import consumer_config, producer_config
from tests.conftest import RUN, create_topics
from tests.support import wait_until


def fresh_topics(partitions: int = 1) -> tuple[str, str]:
    """A topic and a dead-letter topic of this test's own."""
    name = f"test.{RUN}.{uuid.uuid4().hex[:8]}"
    create_topics(NewTopic(name, partitions, 1), NewTopic(f"{name}.dead-letter", 1, 1))
    return name, f"{name}.dead-letter"


def consumer_settings(topic: str, dead_letters: str, **overrides: Any) -> ConsumerSettings:
    values: dict[str, Any] = {
        "bootstrap_servers": settings.KAFKA_BOOTSTRAP_SERVERS,
        "group_id": f"test-{uuid.uuid4().hex[:8]}",
        "topic": topic,
        "dead_letter_topic": dead_letters,
        "batch_size": 50,
        "max_poll_interval_ms": settings.KAFKA_MAX_POLL_INTERVAL_MS,
        "stuck_seconds": 60,
        "poll_timeout": 0.2,
        "max_attempts": 3,
        "retry_backoff": 0.05,
    }
    return ConsumerSettings(**{**values, **overrides})


def produce(topic: str, messages: list[tuple[bytes | None, bytes]]) -> None:
    producer = Producer(producer_config(settings.KAFKA_BOOTSTRAP_SERVERS))
    for key, value in messages:
        producer.produce(topic, key=key, value=value)
    assert producer.flush(30) == 0


def transfer_event(
    transfer_id: uuid.UUID, version: int, event_type: str, **data: Any
) -> dict[str, Any]:
    return {
        "event_type": event_type,
        "schema_version": 2 if event_type == "TransferRequested" else 1,
        "event_id": str(uuid.uuid4()),
        "aggregate_id": str(transfer_id),
        "aggregate_type": "Transfer",
        "version": version,
        "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "data": data,
    }


def requested(transfer_id: uuid.UUID, amount: str = "20.00") -> dict[str, Any]:
    return transfer_event(
        transfer_id,
        1,
        "TransferRequested",
        from_account=str(uuid.uuid4()),
        to_account=str(uuid.uuid4()),
        amount=amount,
        timeout_seconds=60,
    )


def keyed(event: dict[str, Any]) -> tuple[bytes, bytes]:
    return event["aggregate_id"].encode(), orjson.dumps(event)


def read_all(topic: str, count: int, timeout: float = 30) -> list[Message]:
    reader = Consumer(
        consumer_config(settings.KAFKA_BOOTSTRAP_SERVERS, f"test-read-{uuid.uuid4().hex[:8]}")
    )
    reader.subscribe([topic])
    found: list[Message] = []
    try:
        wait_until(
            lambda: (
                found.extend(m for m in reader.consume(10, 0.5) if not m.error())
                or len(found) >= count
            ),
            timeout=timeout,
            what=f"{count} message(s) on {topic}",
        )
    finally:
        reader.close()
    return found


def headers(message: Message) -> dict[str, str]:
    return {k: v.decode() for k, v in message.headers() or [] if v is not None}


def running(consumer: BatchConsumer) -> Iterator[BatchConsumer]:
    """Runs `consumer` in a thread for the test; checks it stops when told."""
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    yield consumer
    consumer.stop.set()
    thread.join(30)
    assert not thread.is_alive(), "the consumer did not stop"
