"""`manage.py replay_events`: rebuild the read models from the event store.

In the shell because it composes two contexts that never import each other: the account read
side's replay (apps/accounts_query/bootstrap.py `replay()`) and the identity context's
(apps/identity/bootstrap.py `users_replay()`: users, groups, role memberships, the actors'
trail)."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.accounts_query import bootstrap
from apps.identity import bootstrap as identity
from operations.metrics import set_replay_progress
from operations.progress import Progress
from operations.progress_report import ProgressReport, raw_stream
from operations.worker_http import serve_worker_http


class Command(BaseCommand):
    help = (
        "Rebuilds the MySQL read models (account rows and statement lines) from the event "
        "store alone (all accounts, or one with --account). Safe while the API serves reads and "
        "consume_events runs: rows and lines are written in bulk every REPLAY_WRITE_EVERY "
        "events and at the end, and a row never goes back to an older version. Without "
        "--account it then rebuilds the users (Django users, groups, role memberships, "
        "UserIdentity rows) and the actors' trail from the User streams and every event's "
        "metadata; credentials (passwords, API tokens, OAuth2 secrets) are left alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--account", help="rebuild only this account (its UUID)")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=settings.REPLAY_BATCH_SIZE,
            help="events read from the event store per batch (default: REPLAY_BATCH_SIZE, "
            "%(default)s)",
        )

        parser.add_argument(
            "--http-port",
            type=int,
            help="serve /healthz, /readyz and /metrics (replay progress) on this port while "
            "replaying (0: any free port; default: none)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["http_port"] is not None:
            serve_worker_http(Progress(float("inf")), options["http_port"])
        if options["account"]:
            try:
                account_id = UUID(options["account"])
            except ValueError:
                raise CommandError(f"--account {options['account']!r} is not a UUID") from None
            result = bootstrap.replay().account(account_id)
        else:
            if options["batch_size"] < 1:
                raise CommandError("--batch-size must be at least 1")
            with ProgressReport(
                "replay", None, unit="events", stream=raw_stream(self.stderr)
            ) as report:
                result = bootstrap.replay(options["batch_size"]).all(progress(report))
            users = identity.users_replay(batch_size=options["batch_size"]).all()
        rate = result.events / result.seconds if result.seconds else 0
        self.stdout.write(
            f"replayed {result.events} events into {result.accounts} account(s) in "
            f"{result.seconds:.1f}s ({rate:.0f} events/s); {result.rejected} rejected, "
            f"{result.removed} unknown row(s) removed, {result.lines_removed} statement line(s) "
            "removed"
        )
        if not options["account"]:
            self.stdout.write(
                f"replayed {users.users} user(s) and {users.events} events into the actors' "
                f"trail in {users.seconds:.1f}s"
            )


def progress(report: ProgressReport) -> Callable[[int, int, float], None]:
    """The replay's progress to the report and to /metrics. Its total, the store's event count
    (from the collection's metadata: counting accounts' events alone would read them all), is
    known once the replay starts."""

    def reported(done: int, total: int, seconds: float) -> None:
        set_replay_progress(done, total)
        report.set_total(total)
        report.update(done)

    return reported
