"""One `run_transfers` process: the manager's consumer, the deadline ticker and the transfers
projection, each in a thread, stopped together.

Its health is theirs: alive while every thread runs and neither consumer is stuck (work waiting,
nothing committed for a while). A thread that ended on its own ends the process, with an error,
so that its supervisor (compose's restart policy, scripts/run.sh) starts it again.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from .deadline_ticker import DeadlineTicker
from .manager_consumer import ManagerConsumer
from .transfer_projection import TransferRowsConsumer

log = logging.getLogger(__name__)


class TransfersProcess:
    def __init__(
        self, manager: ManagerConsumer, ticker: DeadlineTicker, rows: TransferRowsConsumer
    ) -> None:
        self.manager, self.ticker, self.rows = manager, ticker, rows
        self.stop = ticker.stop  # set by SIGTERM/SIGINT: everything stops
        self.threads = [
            threading.Thread(target=manager.run, name="transfer-manager", daemon=True),
            threading.Thread(target=ticker.run, name="transfer-deadlines", daemon=True),
            threading.Thread(target=rows.run, name="transfer-rows", daemon=True),
        ]

    def run(self) -> bool:
        """Runs until stopped (True) or until a thread ended by itself (False)."""
        for thread in self.threads:
            thread.start()
        healthy = True
        while not self.stop.wait(0.5):
            if ended := [t.name for t in self.threads if not t.is_alive()]:
                log.error("%s ended on its own: stopping run_transfers", ", ".join(ended))
                healthy = False
                break
        self.stop.set()
        self.manager.stop.set()
        self.rows.stop.set()
        for thread in self.threads:
            thread.join(30)
        return healthy

    def state(self) -> dict[str, Any]:
        """For /healthz (operations/worker_http.py): `stuck` makes it answer 503."""
        manager, rows = self.manager.progress.state(), self.rows.progress.state()
        dead = [t.name for t in self.threads if t.ident is not None and not t.is_alive()]
        ticker_late = time.monotonic() - self.ticker.last_pass > 10 * self.ticker.interval + 30
        return {
            "stuck": bool(dead) or manager["stuck"] or rows["stuck"] or ticker_late,
            "stopped_threads": dead,
            "manager": manager,
            "rows": rows,
            "deadline_ticker_late": ticker_late,
        }
