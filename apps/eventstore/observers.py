"""What the event store and its relay report as they work: callbacks, no-ops unless handed in.

The store knows no metrics library: each process's composition root hands in its own
(operations/metrics.py in every process of this project), so the store sits below operations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


def _ignore(*_: float) -> None:
    pass


@dataclass(frozen=True)
class Observers:
    # Seconds one append waited for the store (an event of a batch: the whole round trip).
    appended: Callable[[float], None] = _ignore
    # How many events one pass of the relay handed to Kafka again (0 too).
    relay_resent: Callable[[int], None] = _ignore
    # The markers waiting for Kafka, and the age in seconds of the oldest (0 when none).
    outbox_backlog: Callable[[int, float], None] = _ignore
