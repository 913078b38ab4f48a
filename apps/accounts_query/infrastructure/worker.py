"""One `consume_events` process: the consumer in the foreground, the relay in a thread.

The relay thread also forgets expired idempotency keys: any process that runs it will do.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from .kafka_consumer import EventConsumer

log = logging.getLogger(__name__)


class Relay(Protocol):
    def run_once(self, flush_timeout: float = 30.0) -> int: ...


class Worker:
    def __init__(
        self,
        consumer: EventConsumer,
        relay: Relay | None,
        relay_interval: float,
        housekeeping: Callable[[], object] = lambda: None,
    ) -> None:
        self.consumer = consumer
        self.relay = relay
        self.relay_interval = relay_interval
        self.housekeeping = housekeeping

    @property
    def stop(self) -> threading.Event:
        return self.consumer.stop

    def run(self) -> None:
        if self.relay is not None:
            threading.Thread(target=self._relay_loop, daemon=True, name="relay").start()
        self.consumer.run()

    def _relay_loop(self) -> None:
        assert self.relay is not None
        while not self.stop.wait(self.relay_interval):
            try:
                self.relay.run_once()
                self.housekeeping()
            except Exception:  # the next pass tries again; the consumer must keep going
                log.exception("relay pass failed")
