"""`manage.py load_demo [--seed N] [--accounts N] [--force]`: a year of banking to look at.

In the shell because it spans contexts: the accounts' commands and the transfers' saga
(techbank/demo/recording.py), planned by techbank/demo/scenario.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.contract.routes import topic_partitions
from apps.eventstore.topics import ensure_topics
from apps.store_parts import store_parts
from kernel.kafka_config import admin_config
from operations.progress_report import ProgressReport, raw_stream
from techbank.demo.recording import DemoClock, Recorder
from techbank.demo.scenario import plan


class Command(BaseCommand):
    help = (
        "Records a demo through the real command path: a few dozen accounts with a year of "
        "deposits, withdrawals and transfers dated over the past year, one closed account, one "
        "failed transfer and one dead letter (for consume_events to find). The same --seed "
        "gives the same accounts, amounts and dates (relative to today). Refuses a store that "
        "holds events already, unless --force; and refuses while run_transfers runs (to it the "
        "demo's old transfers are past their deadlines)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="the plan's seed (default 1)")
        parser.add_argument(
            "--accounts", type=int, default=36, help="accounts to open (default 36, at least 3)"
        )
        parser.add_argument(
            "--force", action="store_true", help="add the demo to a store that holds events"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["accounts"] < 3:
            raise CommandError("--accounts must be at least 3")
        # What `make migrate` does for the topics: publishing to a missing one waits in vain.
        ensure_topics(settings.KAFKA_BOOTSTRAP_SERVERS, topic_partitions(settings))
        parts = store_parts()
        if not options["force"] and next(iter(parts.store.scan(1)), None) is not None:
            raise CommandError(
                "the event store already holds events: load_demo fills an empty one. Pass "
                "--force to add the demo's accounts anyway."
            )
        if transfers_running():
            raise CommandError(
                f"run_transfers is running (consumer group {settings.TRANSFERS_CONSUMER_GROUP} "
                "has members): stop it (make run) first, load the demo, then start it again; to "
                "it the demo's transfers, dated months ago, are long past their deadlines."
            )
        # Midnight today (UTC): the plan ends before now, and is the same all day.
        end = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        steps = plan(options["seed"], end, options["accounts"])
        recorder = Recorder(parts, DemoClock(end - timedelta(days=365)))
        taken = [
            s.account for s in steps if s.kind == "open" and parts.store.get(str(s.account), 1)
        ]
        if taken:  # checked before anything is recorded: a refusal leaves the store as it was
            raise CommandError(
                f"{len(taken)} of the demo's accounts (seed {options['seed']}) are in the store "
                "already; pass another --seed"
            )
        stream = raw_stream(self.stderr)
        with ProgressReport("load_demo", len(steps), unit="steps", stream=stream) as report:
            for number, step in enumerate(steps, 1):
                recorder.run(number, step)
                report.advance()
        recorder.poison(steps[0].account)
        unacknowledged = parts.publisher.flush(30)
        if unacknowledged:  # stored all the same, with their outbox markers
            self.stderr.write(f"{unacknowledged} event(s) not yet acknowledged; the relay resends")
        parts.close()
        done, transfers = recorder.recorded.steps, recorder.recorded.transfers
        self.stdout.write(
            f"load_demo: {done['open']} accounts opened ({done['close']} closed), "
            f"{done['deposit']} deposits, {done['withdraw']} withdrawals, {done['transfer']} "
            f"transfers ({transfers['COMPLETED']} completed, {transfers['FAILED']} failed), "
            f"{steps[0].at:%Y-%m-%d} to {steps[-1].at:%Y-%m-%d}; 1 poison message sent to "
            f"{settings.KAFKA_EVENTS_TOPIC} (consume_events dead-letters it)"
        )


def transfers_running() -> bool:
    """Whether run_transfers' consumer group has members now (it would react to the demo's
    transfers with today's clock)."""
    group = settings.TRANSFERS_CONSUMER_GROUP
    admin = AdminClient(admin_config(settings.KAFKA_BOOTSTRAP_SERVERS))
    try:
        found = admin.describe_consumer_groups([group])[group].result(30)
    except KafkaException as exc:
        raise CommandError(f"cannot ask Kafka about run_transfers' group {group}: {exc}") from exc
    return bool(found.members)
