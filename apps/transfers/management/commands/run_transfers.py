"""`manage.py run_transfers`: the transfers' process manager, one member of its consumer group."""

import logging
import signal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from apps.transfers import bootstrap

log = logging.getLogger("apps.transfers.run_transfers")


class Command(BaseCommand):
    help = (
        "Drives every transfer to COMPLETED or FAILED: reads transfer events from the "
        "account-events topic in its own consumer group (TRANSFERS_CONSUMER_GROUP) and issues "
        "the account commands each next step needs. Run several to share the partitions. "
        "SIGINT/SIGTERM stop it after the current batch; kill -9 is safe (steps repeat idly)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--group",
            default=settings.TRANSFERS_CONSUMER_GROUP,
            help="consumer group id (default: %(default)s)",
        )
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        consumer = bootstrap.consumer(options["group"], options["batch_size"])

        def stop(signum: int, _: object) -> None:
            log.info("%s received: stopping after the current batch", signal.Signals(signum).name)
            consumer.stop.set()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        log.info("run_transfers started (group %s)", options["group"])
        consumer.run()
