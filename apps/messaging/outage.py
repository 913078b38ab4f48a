"""Waiting out an outage of MySQL or the event store without leaving the consumer group.

Kafka evicts a member that stops polling for `max.poll.interval.ms`, and its partitions would
move to another worker that fails the same way. So while a batch waits to be retried, the
consumer's partitions are paused and it goes on polling: it stays a member, however long the
outage lasts, and reads nothing new until the batch in hand is done.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from confluent_kafka import Consumer, KafkaException, TopicPartition
from django.db import InterfaceError, OperationalError, close_old_connections
from pymongo.errors import PyMongoError

from kernel.kafka_messages import position

from .dead_letters import DeadLetterFailed

log = logging.getLogger(__name__)
R = TypeVar("R")

# What an outage is: these make a whole batch wait and retry; any other exception belongs to
# one message, which is dead-lettered.
INFRASTRUCTURE = (OperationalError, InterfaceError, PyMongoError, KafkaException, DeadLetterFailed)


class Stopped(Exception):
    """SIGINT/SIGTERM came while a batch was waiting for a backing service."""


class OutageWait:
    def __init__(self, consumer: Consumer, stop: threading.Event) -> None:
        self.consumer = consumer
        self.stop = stop
        self.waiting = False

    def wait(self, seconds: float) -> None:
        """Pauses every partition (once), then polls for `seconds`; raises Stopped if asked."""
        if not self.waiting:
            self.waiting = True
            self.consumer.pause(self.consumer.assignment())
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if self.stop.is_set():
                raise Stopped
            message = self.consumer.poll(min(left, 0.5))
            if message is not None and not message.error():
                # From a partition assigned meanwhile: read it again after the outage.
                part = TopicPartition(*position(message))
                self.consumer.pause([part])
                self.consumer.seek(part)

    def assigned(self, parts: list[TopicPartition]) -> None:
        if self.waiting:
            self.consumer.pause(parts)

    def over(self) -> None:
        if self.waiting:
            self.waiting = False
            self.consumer.resume(self.consumer.assignment())

    def until_done(self, attempt: Callable[[], R]) -> R:
        """Runs `attempt` until no backing service fails it, polling Kafka meanwhile."""
        delay = 0.5
        try:
            while True:
                try:
                    return attempt()
                except INFRASTRUCTURE:
                    log.exception("a backing service failed; retrying in %.1fs", delay)
                    close_old_connections()
                    self.wait(delay)
                    delay = min(delay * 2, 30.0)
        finally:
            self.over()
