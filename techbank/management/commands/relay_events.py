"""`manage.py relay_events`: publish stored events that Kafka never acknowledged.

The relay process's composition root, in the shell beside the web's (techbank/bootstrap.py):
the store's parts come with the metrics (apps/store_parts.py), which the store never imports.
"""

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from apps.store_parts import store_parts


class Command(BaseCommand):
    help = (
        "Publishes to Kafka every stored event whose acknowledgement is missing (the web "
        "process died, or Kafka was down). consume_events runs the same relay in a thread; "
        "run this only where no consumer runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument(
            "--interval",
            type=float,
            default=settings.RELAY_INTERVAL_SECONDS,
            help="seconds between passes (default: RELAY_INTERVAL_SECONDS)",
        )
        parser.add_argument(
            "--grace",
            type=float,
            default=None,
            help="only events pending longer than this many seconds (default: "
            "RELAY_GRACE_SECONDS; 0 with --once to flush everything now)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The relay builds the store, the outbox and the publisher; nothing else.
        the_relay = store_parts().relay(options["grace"])
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        while True:
            sent = the_relay.run_once()
            self.stdout.write(f"relayed {sent} event(s)")
            if options["once"] or stop.wait(options["interval"]):
                return
