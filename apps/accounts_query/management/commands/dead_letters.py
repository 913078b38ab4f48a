"""`manage.py dead_letters list | show OFFSET | replay OFFSET... | --all [--yes]`."""

import json
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.encoding import force_str

from apps.messaging import dead_letters
from apps.messaging.dead_letters import DeadLetter
from operations.progress_report import ProgressReport, raw_stream

COLUMNS = [
    ("offset", 7),
    ("original_topic", 34),
    ("original_partition", 4),
    ("original_offset", 9),
    ("key", 36),
    ("event_type", 16),
    ("version", 7),
    ("dead_lettered_at", 29),
    ("replay_count", 7),
    ("consumer_group", 24),
    ("reason", 0),
]
HEADINGS = {
    "original_partition": "part",
    "original_offset": "offset",
    "replay_count": "replays",
    "consumer_group": "group",
}


class Command(BaseCommand):
    help = (
        "Lists, shows and replays the messages on the dead-letter topic "
        "(KAFKA_DEAD_LETTER_TOPIC), where every consumer group puts what it gave up on: poison, "
        "and parked messages (a transfer whose reactions kept failing). OFFSET is a message's "
        "offset in that topic. Replay puts messages back on the topic each came from (or --to) "
        "for its consumers to try again; a message already replayed DEAD_LETTER_MAX_REPLAYS "
        "times is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--topic", default=None, help="the dead-letter topic")
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="one line per dead-lettered message")
        show = actions.add_parser("show", help="one message in full, as JSON")
        show.add_argument("offset", type=int)
        replay = actions.add_parser("replay", help="send messages back to the events topic")
        replay.add_argument("offsets", type=int, nargs="*", metavar="OFFSET")
        replay.add_argument("--all", action="store_true", help="every dead-lettered message")
        replay.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        replay.add_argument(
            "--to", default=None, help="the topic to send to (default: each one's original topic)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        topic = options["topic"] or settings.KAFKA_DEAD_LETTER_TOPIC
        try:
            letters = dead_letters.read(settings.KAFKA_BOOTSTRAP_SERVERS, topic)
        except Exception as exc:
            raise CommandError(f"cannot read {topic}: {exc}") from exc
        getattr(self, f"do_{options['action']}")(letters, options)

    def do_list(self, letters: list[DeadLetter], options: dict[str, Any]) -> None:
        self.stdout.write(line({name: HEADINGS.get(name, name) for name, _ in COLUMNS}))
        for letter in letters:
            self.stdout.write(line(letter.summary()))
        self.stdout.write(f"{len(letters)} dead-lettered message(s)")

    def do_show(self, letters: list[DeadLetter], options: dict[str, Any]) -> None:
        letter = pick(letters, [options["offset"]])[0]
        whole = {
            **letter.summary(),
            "headers": {k: force_str(v, errors="replace") for k, v in letter.headers},
            "value": decoded(letter.value),
        }
        self.stdout.write(json.dumps(whole, indent=2, ensure_ascii=False))

    def do_replay(self, letters: list[DeadLetter], options: dict[str, Any]) -> None:
        if options["all"] == bool(options["offsets"]):
            raise CommandError("give the offsets to replay, or --all (not both)")
        chosen = letters if options["all"] else pick(letters, options["offsets"])
        limit = settings.DEAD_LETTER_MAX_REPLAYS
        refused = [letter for letter in chosen if letter.replay_count >= limit]
        for letter in refused:
            self.stderr.write(
                f"offset {letter.offset}: not replayed: already replayed {letter.replay_count} "
                f"time(s), the limit (DEAD_LETTER_MAX_REPLAYS) is {limit}"
            )
        sending = [letter for letter in chosen if letter.replay_count < limit]
        if not sending:
            raise CommandError("nothing to replay")
        by_target: dict[str, list[DeadLetter]] = {}
        for letter in sending:
            # Back where it came from: the accounts' topic, or the transfers' own.
            target = options["to"] or letter.original_topic or settings.KAFKA_EVENTS_TOPIC
            by_target.setdefault(target, []).append(letter)
        targets = ", ".join(by_target)
        if not options["yes"]:
            self.stdout.write(f"Send {len(sending)} message(s) to {targets}? [y/N] ", ending="")
            self.stdout.flush()
            if sys.stdin.readline().strip().lower() not in ("y", "yes"):
                raise CommandError("not replayed")
        with ProgressReport(
            "dead_letters replay", len(sending), unit="messages", stream=raw_stream(self.stderr)
        ) as report:
            for target, letters_to in by_target.items():
                dead_letters.replay(
                    settings.KAFKA_BOOTSTRAP_SERVERS,
                    target,
                    letters_to,
                    acknowledged=report.advance,
                )
        offsets = ", ".join(str(letter.offset) for letter in sending)
        self.stdout.write(f"replayed {len(sending)} message(s) to {targets}: offsets {offsets}")


def pick(letters: list[DeadLetter], offsets: list[int]) -> list[DeadLetter]:
    by_offset = {letter.offset: letter for letter in letters}
    missing = [str(o) for o in offsets if o not in by_offset]
    if missing:
        raise CommandError(f"no dead-lettered message at offset(s) {', '.join(missing)}")
    return [by_offset[o] for o in dict.fromkeys(offsets)]


def line(fields: dict[str, Any]) -> str:
    cells = []
    for name, width in COLUMNS:
        text = "-" if fields[name] in (None, "") else str(fields[name])
        cells.append(text if not width else text[:width].ljust(width))
    return "  ".join(cells)


def decoded(value: bytes | None) -> Any:
    """The value as JSON if it is JSON, else as text (undecodable bytes replaced)."""
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return value.decode(errors="replace")
