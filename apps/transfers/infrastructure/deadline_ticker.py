"""Fires the transfers' due deadlines, every TRANSFER_DEADLINE_POLL_SECONDS.

Only those of the partitions this member's manager consumer holds (and those no partition
claims yet), so each deadline is met by the member that owns its transfer; after a rebalance
the new owner meets it. A failing pass is logged and the next one tries again: the ticker never
stops while the process runs.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.db import close_old_connections

from apps.messaging.outage import INFRASTRUCTURE

from .manager_consumer import Manager

log = logging.getLogger(__name__)


class DeadlineTicker:
    def __init__(
        self,
        manager: Manager,
        partitions: Callable[[], frozenset[int]],
        interval: float,
        stop: threading.Event,
    ) -> None:
        self.manager = manager
        self.partitions = partitions
        self.interval = interval
        self.stop = stop
        self.fired = 0
        self.last_pass = time.monotonic()  # for the health check: a live ticker keeps passing

    def run(self) -> None:
        while not self.stop.wait(self.interval):
            self.tick()

    def tick(self) -> int:
        try:
            fired = self.manager.fire_due(set(self.partitions()))
        except INFRASTRUCTURE as exc:
            log.warning("deadlines not fired (%s); next pass in %.1fs", exc, self.interval)
            close_old_connections()
            return 0
        except Exception:  # one bad pass must not end the deadlines of every transfer
            log.exception("deadline pass failed")
            return 0
        finally:
            self.last_pass = time.monotonic()
        if fired:
            log.info("fired %d due deadline(s)", fired)
        self.fired += fired
        return fired
