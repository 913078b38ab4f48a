"""One `run_transfers` process: the manager's consumer, the deadline ticker and the transfers
projection, each in a thread, stopped together.

Its health is theirs: alive while every thread runs and neither consumer is stuck (work waiting,
nothing committed for a while). A thread that ended on its own ends the process, with an error,
so that its supervisor (compose's restart policy, scripts/run.sh) starts it again.
"""

from __future__ import annotations

import time
from typing import Any

from apps.messaging.thread_group import ThreadGroup

from .deadline_ticker import DeadlineTicker
from .manager_consumer import ManagerConsumer
from .transfer_projection import TransferRowsConsumer


class TransfersProcess:
    def __init__(
        self, manager: ManagerConsumer, ticker: DeadlineTicker, rows: TransferRowsConsumer
    ) -> None:
        self.manager, self.ticker, self.rows = manager, ticker, rows
        self.stop = ticker.stop  # set by SIGTERM/SIGINT: everything stops
        self.group = ThreadGroup(
            "run_transfers",
            [
                ("transfer-manager", manager.run),
                ("transfer-deadlines", ticker.run),
                ("transfer-rows", rows.run),
            ],
        )

    def run(self) -> bool:
        """Runs until stopped (True) or until a thread ended by itself (False)."""
        return self.group.run(self.stop, [self.manager.stop, self.rows.stop])

    def state(self) -> dict[str, Any]:
        """For /healthz (operations/worker_http.py): `stuck` makes it answer 503."""
        manager, rows = self.manager.progress.state(), self.rows.progress.state()
        dead = self.group.stopped()
        ticker_late = time.monotonic() - self.ticker.last_pass > 10 * self.ticker.interval + 30
        return {
            "stuck": bool(dead) or manager["stuck"] or rows["stuck"] or ticker_late,
            "stopped_threads": dead,
            "manager": manager,
            "rows": rows,
            "deadline_ticker_late": ticker_late,
        }
