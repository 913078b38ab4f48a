"""`manage.py run_transfers`: the transfers' process manager, deadlines and read model."""

import logging
import signal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.transfers import bootstrap
from operations.worker_http import serve_worker_http

log = logging.getLogger("apps.transfers.run_transfers")


class Command(BaseCommand):
    help = (
        "Drives every transfer to COMPLETED or FAILED and keeps the transfers' read model: "
        "reads the transfer-events topic (KAFKA_TRANSFER_EVENTS_TOPIC) as one member of the "
        "manager's group (TRANSFERS_CONSUMER_GROUP), reacting to each transfer's latest event "
        "with its next step; fires the due deadlines of its partitions every "
        "TRANSFER_DEADLINE_POLL_SECONDS; projects the rows in TRANSFERS_PROJECTION_GROUP. "
        "Run several to share the partitions. Serves /healthz on TRANSFERS_HEALTH_PORT. "
        "SIGINT/SIGTERM stop it after the current batches; kill -9 is safe (steps repeat idly)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--group",
            default=settings.TRANSFERS_CONSUMER_GROUP,
            help="the manager's consumer group (default: %(default)s)",
        )
        parser.add_argument(
            "--rows-group",
            default=settings.TRANSFERS_PROJECTION_GROUP,
            help="the projection's consumer group (default: %(default)s)",
        )
        parser.add_argument("--batch-size", type=int, default=200)
        parser.add_argument(
            "--http-port",
            type=int,
            default=settings.TRANSFERS_HEALTH_PORT,
            help="port of /healthz, /readyz and /metrics (default: TRANSFERS_HEALTH_PORT, "
            "%(default)s; 0: any free port)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        process = bootstrap.transfers_process(
            options["group"], options["rows_group"], options["batch_size"]
        )

        def stop(signum: int, _: object) -> None:
            log.info("%s received: stopping after the current batches", signal.Signals(signum).name)
            process.stop.set()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        http = serve_worker_http(process, options["http_port"])
        log.info(
            "run_transfers started (groups %s, %s; health on port %d)",
            options["group"],
            options["rows_group"],
            http.port,
        )
        try:
            healthy = process.run()
        finally:
            http.stop()
        if not healthy:
            raise CommandError("a run_transfers thread ended on its own")
