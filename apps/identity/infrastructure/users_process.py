"""One `project_users` process: the user-events consumer and the actors' trail consumer, each
in a thread, stopped together.

Its health is theirs: alive while both threads run and neither consumer is stuck (work
waiting, nothing committed for a while). A thread that ended on its own ends the process with
an error, so its supervisor (compose's restart policy, scripts/run.sh) starts it again.
"""

from __future__ import annotations

import threading
from typing import Any

from apps.messaging.thread_group import ThreadGroup

from .user_consumers import ActorTrailConsumer, UserEventsConsumer


class UsersProcess:
    def __init__(self, users: UserEventsConsumer, trail: ActorTrailConsumer) -> None:
        self.users, self.trail = users, trail
        self.stop = threading.Event()  # set by SIGTERM/SIGINT: everything stops
        self.group = ThreadGroup(
            "project_users", [("user-projection", users.run), ("actor-trail", trail.run)]
        )

    def run(self) -> bool:
        """Runs until stopped (True) or until a thread ended by itself (False)."""
        return self.group.run(self.stop, [self.users.stop, self.trail.stop])

    def state(self) -> dict[str, Any]:
        """For /healthz (operations/worker_http.py): `stuck` makes it answer 503."""
        users, trail = self.users.progress.state(), self.trail.progress.state()
        dead = self.group.stopped()
        return {
            "stuck": bool(dead) or users["stuck"] or trail["stuck"],
            "stopped_threads": dead,
            "users": users,
            "trail": trail,
        }
