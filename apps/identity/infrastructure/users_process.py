"""One `project_users` process: the user-events consumer and the actors' trail consumer, each
in a thread, stopped together.

Its health is theirs: alive while both threads run and neither consumer is stuck (work
waiting, nothing committed for a while). A thread that ended on its own ends the process with
an error, so its supervisor (compose's restart policy, scripts/run.sh) starts it again.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from .user_consumers import ActorTrailConsumer, UserEventsConsumer

log = logging.getLogger(__name__)


class UsersProcess:
    def __init__(self, users: UserEventsConsumer, trail: ActorTrailConsumer) -> None:
        self.users, self.trail = users, trail
        self.stop = threading.Event()  # set by SIGTERM/SIGINT: everything stops
        self.threads = [
            threading.Thread(target=users.run, name="user-projection", daemon=True),
            threading.Thread(target=trail.run, name="actor-trail", daemon=True),
        ]

    def run(self) -> bool:
        """Runs until stopped (True) or until a thread ended by itself (False)."""
        for thread in self.threads:
            thread.start()
        healthy = True
        while not self.stop.wait(0.5):
            if ended := [t.name for t in self.threads if not t.is_alive()]:
                log.error("%s ended on its own: stopping project_users", ", ".join(ended))
                healthy = False
                break
        self.stop.set()
        self.users.stop.set()
        self.trail.stop.set()
        for thread in self.threads:
            thread.join(30)
        return healthy

    def state(self) -> dict[str, Any]:
        """For /healthz (operations/worker_http.py): `stuck` makes it answer 503."""
        users, trail = self.users.progress.state(), self.trail.progress.state()
        dead = [t.name for t in self.threads if t.ident is not None and not t.is_alive()]
        return {
            "stuck": bool(dead) or users["stuck"] or trail["stuck"],
            "stopped_threads": dead,
            "users": users,
            "trail": trail,
        }
