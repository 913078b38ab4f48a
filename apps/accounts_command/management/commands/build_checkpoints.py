"""`manage.py build_checkpoints`: the as-of checkpoints of streams written before they existed."""

from typing import Any

from django.core.management.base import BaseCommand

from apps.accounts_command.infrastructure.account_timeline import (
    CHECKPOINT_EVERY,
    StoreAccountTimeline,
    build_checkpoints,
)
from apps.eventstore.checkpoints import Checkpoints
from apps.store_parts import store_parts
from operations.progress_report import ProgressReport, raw_stream


class Command(BaseCommand):
    help = (
        f"Reads every event once and saves the account's state at every {CHECKPOINT_EVERY}th "
        "version where it is missing, so GET .../as-of/ on a long history written before "
        "checkpoints existed reads a few events instead of all of them. Safe to run again "
        "and while the API serves: a checkpoint, once saved, never changes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        store = store_parts().store  # the store alone: no outbox, no publisher
        # The store's event count from the collection's metadata (every aggregate's events: the
        # batches counted are every aggregate's too), not a scan.
        total = store.count()
        with ProgressReport(
            "build_checkpoints", total, unit="events", stream=raw_stream(self.stderr)
        ) as report:
            timeline = StoreAccountTimeline(store, Checkpoints())
            folded = build_checkpoints(store, timeline, report.advance)
        self.stdout.write(f"folded {folded} event(s); checkpoints every {CHECKPOINT_EVERY}")
