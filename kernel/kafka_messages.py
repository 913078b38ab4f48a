"""A consumed Kafka message's parts, as narrow as they are (for mypy).

confluent-kafka types every part of a Message as optional, because poll() also hands out error
events, which carry none; and its headers as a dict or a list of str, bytes or None values,
everything produce() accepts. A message consumed without error has a topic, a partition and an
offset, and its headers come back as a list of (name, bytes or None) pairs (or None): these
functions say so in one place instead of an ignore at each reader. The kernel imports no Kafka
library (.importlinter): Polled is the part of confluent_kafka.Message read here.
"""

from collections.abc import Sequence
from typing import Protocol, cast

ConsumedHeaders = list[tuple[str, bytes | None]]
# What confluent-kafka's produce() takes as headers, and its stubs say a Message holds.
KafkaHeaders = dict[str, str | bytes | None] | list[tuple[str, str | bytes | None]]


class Polled(Protocol):
    """A message as poll() or consume() hands it out (confluent_kafka.Message)."""

    def topic(self) -> str | None: ...
    def partition(self) -> int | None: ...
    def offset(self) -> int | None: ...
    def key(self) -> bytes | None: ...
    def value(self) -> bytes | None: ...
    def headers(self) -> KafkaHeaders | None: ...
    def error(self) -> object: ...


class ConsumedMessage(Protocol):
    """What a reader of a consumed message uses (apps.contract.signing.SignedMessage too)."""

    def key(self) -> bytes | None: ...
    def value(self) -> bytes | None: ...
    def headers(self) -> ConsumedHeaders | None: ...


def position(message: Polled) -> tuple[str, int, int]:
    """Topic, partition and offset of a message polled without error."""
    topic, partition, offset = message.topic(), message.partition(), message.offset()
    if topic is None or partition is None or offset is None:
        raise ValueError(f"a Kafka message without a position ({message.error()})")
    return topic, partition, offset


def headers_of(message: Polled) -> ConsumedHeaders:
    """A consumed message's headers: a list (never the dict form) of bytes (never str)."""
    return cast(ConsumedHeaders, message.headers() or [])


def consumed(message: Polled) -> ConsumedMessage:
    """The message as its readers see it (see headers_of); no copy, no check."""
    return cast(ConsumedMessage, message)


def produced(
    headers: Sequence[tuple[str, str | bytes | None]],
) -> list[tuple[str, str | bytes | None]]:
    """Headers for produce(), which reads them only: its stubs ask for a list of the widest
    value type, which a list of bytes values is not to mypy (a list is invariant)."""
    return cast(list[tuple[str, str | bytes | None]], headers)
