"""Shared by the operator console's tests: a dead letter as the consumer writes one."""

import time

from confluent_kafka import Producer
from django.conf import settings

from kernel.kafka_config import producer_config


def produce_dead_letter(key: str) -> None:
    """Produces to this run's dead-letter topic with the headers the worker writes
    (apps/messaging/dead_letters/headers.py), spelled out: they are the wire format."""
    producer = Producer(producer_config(settings.KAFKA_BOOTSTRAP_SERVERS))
    value = b'{"event_type": "FundsDeposited", "version": 7, "data": "<script>"}'
    headers = [
        ("event_type", b"FundsDeposited"),
        ("schema_version", b"1"),
        ("error", b"FundsDeposited data is not an object <script>"),
        ("original_topic", settings.KAFKA_EVENTS_TOPIC.encode()),
        ("original_partition", b"2"),
        ("original_offset", b"41"),
        ("dead_lettered_at", str(time.time()).encode()),
    ]
    producer.produce(settings.KAFKA_DEAD_LETTER_TOPIC, key=key, value=value, headers=headers)
    assert producer.flush(10) == 0
