"""`manage.py consume_events`: project account events from Kafka into the MySQL read models."""

import logging
import signal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.accounts_query import bootstrap
from operations.worker_http import serve_worker_http

log = logging.getLogger("apps.accounts_query.consume_events")


class Command(BaseCommand):
    help = (
        "Consumes the account-events topic as one member of a Kafka consumer group and keeps "
        "the MySQL read models up to date. Run several to share the topic's partitions. "
        "Offsets are committed only after the read models commit; duplicates are skipped by "
        "version; a gap is filled from the event store; poison messages go to the dead-letter "
        "topic. Also runs the relay that re-publishes stored events Kafka never acknowledged. "
        "SIGINT/SIGTERM stop it after the current batch."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--group",
            default=settings.KAFKA_CONSUMER_GROUP,
            help="consumer group id (default: KAFKA_CONSUMER_GROUP, %(default)s)",
        )
        parser.add_argument(
            "--topic",
            default=settings.KAFKA_EVENTS_TOPIC,
            help="topic to consume (default: %(default)s)",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=settings.CONSUMER_BATCH_SIZE,
            help="most messages projected in one transaction (default: CONSUMER_BATCH_SIZE, "
            "%(default)s)",
        )
        parser.add_argument(
            "--http-port",
            type=int,
            default=settings.WORKER_HTTP_PORT,
            help="port of /healthz, /readyz and /metrics (default: WORKER_HTTP_PORT, "
            "%(default)s; 0: any free port)",
        )
        parser.add_argument(
            "--no-relay",
            action="store_true",
            help="do not run the relay of unacknowledged events in this process",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        worker = bootstrap.worker(
            group=options["group"],
            topic=options["topic"],
            batch_size=options["batch_size"],
            relay=not options["no_relay"],
        )

        def stop(signum: int, _: object) -> None:
            log.info("%s received: stopping after the current batch", signal.Signals(signum).name)
            worker.stop.set()

        # Liveness (503 when stuck), readiness and metrics, for an orchestrator.
        serve_worker_http(worker.consumer.progress, options["http_port"])
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        worker.run()
