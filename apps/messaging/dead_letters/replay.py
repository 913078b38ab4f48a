"""Sending dead letters back for another try (`manage.py dead_letters replay`).

Each goes with its original key, value and headers (without the dead-letter ones), plus the
offset it was replayed from and a replay count that a second dead-lettering keeps: past
DEAD_LETTER_MAX_REPLAYS the command refuses a message rather than loop it.
"""

from __future__ import annotations

from collections.abc import Callable

from confluent_kafka import Producer

from kernel.kafka_config import producer_config

from .letter import DeadLetter
from .writer import unacknowledged


def replay(
    bootstrap_servers: str,
    topic: str,
    letters: list[DeadLetter],
    timeout: float = 30.0,
    acknowledged: Callable[[], None] | None = None,
) -> None:
    """Produces each letter to `topic` and waits until the broker has them all (`acknowledged`
    is called for each one it has)."""
    producer = Producer(producer_config(bootstrap_servers))
    outgoing = [(letter.key, letter.value, letter.replay_headers()) for letter in letters]
    failed = unacknowledged(producer, topic, outgoing, timeout, acknowledged)
    if failed is not None:
        raise RuntimeError(f"{len(letters)} message(s) not all acknowledged: {failed}")
