"""The dead-letter topic: where a message the projection can never apply goes, with why.

Headers carry the reason and where the message came from, so that an operator can find,
read and re-send it (manage.py dead_letters).
"""

from __future__ import annotations

import logging
import time

from confluent_kafka import Message, Producer

from .projection_log import message_fields

log = logging.getLogger(__name__)

REASON_LIMIT = 1000  # characters of a reason kept in the header


class DeadLetterFailed(Exception):
    """The dead-letter topic did not acknowledge every message: commit nothing past them."""


class DeadLetters:
    def __init__(self, bootstrap_servers: str, topic: str) -> None:
        self.topic = topic
        self.producer = Producer(
            {
                "bootstrap.servers": bootstrap_servers,
                "enable.idempotence": True,
                "acks": "all",
                "message.timeout.ms": 30000,
                "log_level": 3,
            }
        )

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
                headers=headers(message, reason),
                on_delivery=delivered,
            )
        if self.producer.flush(timeout) or failed:
            raise DeadLetterFailed(f"{len(messages)} dead letter(s) not acknowledged: {failed}")

    def close(self, timeout: float = 10.0) -> None:
        self.producer.flush(timeout)


def headers(message: Message, reason: str) -> list[tuple[str, bytes]]:
    return [
        *(message.headers() or []),
        ("error", reason[:REASON_LIMIT].encode(errors="replace")),
        ("original_topic", message.topic().encode()),
        ("original_partition", str(message.partition()).encode()),
        ("original_offset", str(message.offset()).encode()),
        ("dead_lettered_at", str(time.time()).encode()),
    ]
