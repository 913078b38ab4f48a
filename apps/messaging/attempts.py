"""Bounded attempts: a message failing of its own is tried again a few times, then given up.

Infrastructure failures are not counted here: `until_done` waits them out (outage.py), for as
long as they last. Any other exception belongs to the message (or to one of a batch: they are
then tried one by one to find which), and after `max_attempts` it is returned to be parked.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial
from typing import Generic, NamedTuple, TypeVar

from confluent_kafka import Message

from .outage import INFRASTRUCTURE, Stopped

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")


class Poison(Exception):
    """A message its contract refuses: it can never be handled, so it is dead-lettered."""


class Delivery(NamedTuple, Generic[T]):
    value: T  # what the decoder made of the message
    message: Message


Failures = list[tuple[Delivery[T], str]]


class Attempts(Generic[T]):
    def __init__(
        self,
        process: Callable[[list[Delivery[T]]], Failures[T]],
        until_done: Callable[[Callable[[], Failures[T]]], Failures[T]],
        stop: threading.Event,
        max_attempts: int,
        backoff: float,
    ) -> None:
        self.process = process
        self.until_done = until_done
        self.stop = stop
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff  # before the second try; doubles for each next one

    def run(self, deliveries: list[Delivery[T]]) -> Failures[T]:
        """Those still failing after the last attempt, each with its latest reason."""
        pending, attempt, delay = deliveries, 1, self.backoff
        while True:
            failed = self.until_done(partial(self._attempt, pending))
            if not failed or attempt >= self.max_attempts:
                if attempt > 1:  # the reason says how hard it was tried
                    failed = [(d, f"{why} (after {attempt} attempts)") for d, why in failed]
                return failed
            log.warning(
                "%d message(s) failed attempt %d of %d: %s; trying again",
                len(failed),
                attempt,
                self.max_attempts,
                failed[0][1],
            )
            if self.stop.wait(delay):
                raise Stopped  # nothing committed: the batch is delivered again
            pending, attempt, delay = [d for d, _ in failed], attempt + 1, delay * 2

    def _attempt(self, pending: list[Delivery[T]]) -> Failures[T]:
        try:
            return self.process(pending)
        except INFRASTRUCTURE:
            raise
        except Exception as exc:  # noqa: BLE001  (found below: whose failure it is)
            if len(pending) == 1:
                return [(pending[0], described(exc))]
        # One message of these breaks them all: handle them one by one to find which.
        failed: Failures[T] = []
        for delivery in pending:
            try:
                failed += self.process([delivery])
            except INFRASTRUCTURE:
                raise
            except Exception as exc:  # noqa: BLE001  (this message's own failure)
                failed.append((delivery, described(exc)))
        return failed


def described(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"
