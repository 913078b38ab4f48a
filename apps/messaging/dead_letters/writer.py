"""Writing to the dead-letter topic: where a message no consumer can ever handle goes, with why.

One topic for every consumer group; the consumer base (consumer.py) writes what it gives up on,
and commits past it only once the broker has acknowledged every letter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator

from confluent_kafka import Message, Producer

from kernel.kafka_config import producer_config
from kernel.kafka_messages import produced

from ..message_fields import Headers, message_fields
from .headers import dead_letter_headers

log = logging.getLogger(__name__)

Outgoing = tuple[bytes | None, bytes | None, Headers]  # key, value, headers


class DeadLetterFailed(Exception):
    """The dead-letter topic did not acknowledge every message: commit nothing past them."""


class DeadLetterWriter:
    def __init__(self, bootstrap_servers: str, topic: str, consumer_group: str = "") -> None:
        self.topic = topic
        self.consumer_group = consumer_group
        self.producer = Producer(producer_config(bootstrap_servers, message_timeout_ms=30000))

    def send(self, messages: list[tuple[Message, str]], timeout: float = 30.0) -> None:
        """Produces each (message, reason) and waits until the broker has them all."""
        failed = unacknowledged(self.producer, self.topic, self._letters(messages), timeout)
        if failed is not None:
            raise DeadLetterFailed(f"{len(messages)} dead letter(s) not acknowledged: {failed}")

    def _letters(self, messages: list[tuple[Message, str]]) -> Iterator[Outgoing]:
        for message, reason in messages:
            log.error(
                "dead-lettering %s[%d]@%d: %s",
                message.topic(),
                message.partition(),
                message.offset(),
                reason,
                extra=message_fields(message),
            )
            yield (
                message.key(),
                message.value(),
                dead_letter_headers(message, reason, self.consumer_group),
            )

    def close(self, timeout: float = 10.0) -> None:
        self.producer.flush(timeout)


def unacknowledged(
    producer: Producer,
    topic: str,
    messages: Iterable[Outgoing],
    timeout: float,
    acknowledged: Callable[[], None] | None = None,
) -> list[str] | None:
    """Produces each and waits: None when the broker has them all, else the errors it gave.
    `acknowledged` is called once per message the broker has."""
    failed: list[str] = []

    def delivered(err: object, _: Message) -> None:
        if err is not None:
            failed.append(str(err))
        elif acknowledged is not None:
            acknowledged()

    for key, value, headers in messages:
        producer.produce(
            topic, key=key, value=value, headers=produced(headers), on_delivery=delivered
        )
    return failed if producer.flush(timeout) or failed else None
