"""Is the worker making progress? A worker is stuck when it has work (lag > 0) but has
committed nothing for `stuck_seconds`: alive, yet of no use, so an orchestrator should
restart it. A worker with nothing to do is never stuck, however long it waits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Progress:
    def __init__(self, stuck_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.stuck_seconds = stuck_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._last_progress = clock()
        self._busy_since = self._last_progress
        self._lag = 0

    def record_progress(self) -> None:
        """A batch was committed."""
        with self._lock:
            self._last_progress = self._clock()

    def set_lag(self, total_lag: int) -> None:
        """Messages waiting on this worker's partitions (in-flight ones included)."""
        with self._lock:
            if self._lag == 0 and total_lag > 0:
                # Work after a quiet spell: the clock starts now, not at the last commit.
                self._busy_since = self._clock()
            self._lag = max(0, total_lag)

    def state(self) -> dict[str, float | int | bool]:
        with self._lock:
            idle = self._clock() - max(self._last_progress, self._busy_since)
            lag = self._lag
        return {
            "stuck": lag > 0 and idle > self.stuck_seconds,
            "lag": lag,
            "seconds_since_progress": round(idle, 3),
            "stuck_after_seconds": self.stuck_seconds,
        }

    @property
    def stuck(self) -> bool:
        return bool(self.state()["stuck"])
