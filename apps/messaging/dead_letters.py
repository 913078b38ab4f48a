"""The dead-letter topic: where a message no consumer can ever handle goes, with why.

One topic for every consumer group. Headers carry the reason, where the message came from and
the group that gave up on it, so that an operator can find, read and re-send it
(manage.py dead_letters, the console's dead-letter page).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from confluent_kafka import Message, Producer

from .kafka_config import producer_config

log = logging.getLogger(__name__)

REASON_LIMIT = 1000  # characters of a reason kept in the header


class DeadLetterFailed(Exception):
    """The dead-letter topic did not acknowledge every message: commit nothing past them."""


class DeadLetters:
    def __init__(self, bootstrap_servers: str, topic: str, consumer_group: str = "") -> None:
        self.topic = topic
        self.consumer_group = consumer_group
        config = producer_config(bootstrap_servers, **{"message.timeout.ms": 30000})
        self.producer = Producer(config)

    def send(self, messages: list[tuple[Message, str]], timeout: float = 30.0) -> None:
        """Produces each (message, reason) and waits until the broker has them all."""
        failed: list[str] = []

        def delivered(err: object, _: Message) -> None:
            if err is not None:
                failed.append(str(err))

        for message, reason in messages:
            log.error(
                "dead-lettering %s[%d]@%d: %s",
                message.topic(),
                message.partition(),
                message.offset(),
                reason,
                extra=message_fields(message),
            )
            self.producer.produce(
                self.topic,
                key=message.key(),
                value=message.value(),
                headers=headers(message, reason, self.consumer_group),
                on_delivery=delivered,
            )
        if self.producer.flush(timeout) or failed:
            raise DeadLetterFailed(f"{len(messages)} dead letter(s) not acknowledged: {failed}")

    def close(self, timeout: float = 10.0) -> None:
        self.producer.flush(timeout)


def headers(message: Message, reason: str, consumer_group: str = "") -> list[tuple[str, bytes]]:
    return [
        *(message.headers() or []),
        ("error", reason[:REASON_LIMIT].encode(errors="replace")),
        ("original_topic", message.topic().encode()),
        ("original_partition", str(message.partition()).encode()),
        ("original_offset", str(message.offset()).encode()),
        ("consumer_group", consumer_group.encode()),
        ("dead_lettered_at", str(time.time()).encode()),
    ]


def header(message: Message, name: str) -> str | None:
    for key, value in message.headers() or ():
        if key == name and value is not None:
            return value.decode(errors="replace")
    return None


def message_fields(message: Message) -> dict[str, Any]:
    """Where a message was in Kafka, and the request that produced its event (for log lines)."""
    return {
        "partition": message.partition(),
        "offset": message.offset(),
        "request_id": header(message, "request_id"),
    }
