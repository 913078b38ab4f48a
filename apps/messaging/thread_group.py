"""The threads of one consumer process (`run_transfers`, `project_users`), run and stopped
together.

A thread that ended on its own ends the whole process with an error, so that its supervisor
(compose's restart policy, scripts/run.sh) starts it again rather than leave it half alive.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

log = logging.getLogger(__name__)


class ThreadGroup:
    def __init__(self, process: str, targets: Sequence[tuple[str, Callable[[], object]]]) -> None:
        self.process = process
        self.threads = [
            threading.Thread(target=target, name=name, daemon=True) for name, target in targets
        ]

    def run(self, stop: threading.Event, stop_also: Sequence[threading.Event]) -> bool:
        """Runs until `stop` is set (True) or until a thread ended by itself (False); then
        sets `stop` and `stop_also` and waits for every thread."""
        for thread in self.threads:
            thread.start()
        healthy = True
        while not stop.wait(0.5):
            if ended := [t.name for t in self.threads if not t.is_alive()]:
                log.error("%s ended on its own: stopping %s", ", ".join(ended), self.process)
                healthy = False
                break
        stop.set()
        for event in stop_also:
            event.set()
        for thread in self.threads:
            thread.join(30)
        return healthy

    def stopped(self) -> list[str]:
        """The threads that were started and are no longer running."""
        return [t.name for t in self.threads if t.ident is not None and not t.is_alive()]
