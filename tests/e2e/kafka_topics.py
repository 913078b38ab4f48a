"""Per-test Kafka topics, consumers on them, and what the consumer tests produce and read there
(the transfer messages themselves: transfer_messages.py)."""

import threading
import uuid
from collections.abc import Iterator
from typing import Any

from confluent_kafka import Consumer, Message, Producer
from django.conf import settings

from apps.contract.signing import keyring
from apps.messaging.consumer import BatchConsumer, ConsumerSettings
from kernel.kafka_config import producer_config
from kernel.kafka_messages import headers_of
from tests.conftest import new_topic
from tests.support import signature, wait_until


def fresh_topics(partitions: int = 1) -> tuple[str, str]:
    """A topic and a dead-letter topic of this test's own."""
    name = new_topic(partitions)
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
        "authenticate": keyring(settings).check_message,
        "poll_timeout": 0.2,
        "max_attempts": 3,
        "retry_backoff": 0.05,
    }
    return ConsumerSettings(**{**values, **overrides})


def fresh_consumer_settings(partitions: int = 1, **overrides: Any) -> ConsumerSettings:
    """consumer_settings() on fresh_topics(): the names are its topic and dead_letter_topic."""
    return consumer_settings(*fresh_topics(partitions), **overrides)


def produce(topic: str, messages: list[tuple[bytes | None, bytes]]) -> None:
    producer = Producer(producer_config(settings.KAFKA_BOOTSTRAP_SERVERS))
    for key, value in messages:
        producer.produce(topic, key=key, value=value, headers=signature(key, value))
    assert producer.flush(30) == 0


def read_all(topic: str, count: int, timeout: float = 30) -> list[Message]:
    reader = Consumer(
        {
            "bootstrap.servers": settings.KAFKA_BOOTSTRAP_SERVERS,
            "group.id": f"test-read-{uuid.uuid4().hex[:8]}",
            "auto.offset.reset": "earliest",
        }
    )
    reader.subscribe([topic])
    found: list[Message] = []

    def enough() -> bool:
        found.extend(m for m in reader.consume(10, 0.5) if not m.error())
        return len(found) >= count

    try:
        wait_until(
            enough,
            timeout=timeout,
            what=f"{count} message(s) on {topic}",
        )
    finally:
        reader.close()
    return found


def headers(message: Message) -> dict[str, str]:
    return {k: v.decode() for k, v in headers_of(message) if v is not None}


def running(consumer: BatchConsumer) -> Iterator[BatchConsumer]:
    """Runs `consumer` in a thread for the test; checks it stops when told."""
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    yield consumer
    consumer.stop.set()
    thread.join(30)
    assert not thread.is_alive(), "the consumer did not stop"
