"""`manage.py project_users`: the users' projection and the actors' trail, from Kafka."""

import logging
import signal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.identity import bootstrap
from operations.worker_http import serve_worker_http

log = logging.getLogger("apps.identity.project_users")


class Command(BaseCommand):
    help = (
        "Keeps Django's users, groups and UserIdentity rows a fold of the identity events: "
        "reads the user-events topic (KAFKA_USER_EVENTS_TOPIC) in USERS_CONSUMER_GROUP and "
        "projects each user it names again (idempotent; it repairs a command whose process "
        "died before projecting, and deletes a removed user's leftover credentials). Keeps the "
        "actors' trail (identity.ActorAction: who caused each event) from the user, account "
        "and transfer topics (USERS_TRAIL_GROUP). Serves /healthz on USERS_HEALTH_PORT. "
        "SIGINT/SIGTERM stop it after the current batches; kill -9 is safe (a repeat is a no-op)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--group",
            default=settings.USERS_CONSUMER_GROUP,
            help="the user projection's consumer group (default: %(default)s)",
        )
        parser.add_argument(
            "--trail-group",
            default=settings.USERS_TRAIL_GROUP,
            help="the actors' trail's consumer group (default: %(default)s)",
        )
        parser.add_argument("--batch-size", type=int, default=200)
        parser.add_argument(
            "--http-port",
            type=int,
            default=settings.USERS_HEALTH_PORT,
            help="port of /healthz, /readyz and /metrics (default: USERS_HEALTH_PORT, "
            "%(default)s; 0: any free port)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        process = bootstrap.users_process(
            options["group"], options["trail_group"], options["batch_size"]
        )

        def stop(signum: int, _: object) -> None:
            log.info("%s received: stopping after the current batches", signal.Signals(signum).name)
            process.stop.set()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        http = serve_worker_http(process, options["http_port"])
        log.info(
            "project_users started (groups %s, %s; health on port %d)",
            options["group"],
            options["trail_group"],
            http.port,
        )
        try:
            healthy = process.run()
        finally:
            http.stop()
        if not healthy:
            raise CommandError("a project_users thread ended on its own")
