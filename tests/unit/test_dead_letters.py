"""The one dead-letter module without a broker: the headers a dead letter gets, what an
operator reads of it (the CLI's row and the console's fields are the same fields), and the
headers a replay sends back."""

import json
from datetime import UTC, datetime

from confluent_kafka import Message

from apps.messaging.dead_letters import DeadLetter
from apps.messaging.dead_letters.headers import (
    DEAD_LETTER_HEADERS,
    REASON_LIMIT,
    dead_letter_headers,
)
from apps.messaging.message_fields import message_fields

ORIGINAL: list[tuple[str, str | bytes | None]] = [
    ("event_type", b"FundsDeposited"),
    ("request_id", b"req-1"),
]
VALUE = json.dumps({"event_type": "FundsDeposited", "version": 7, "data": "x"}).encode()


def original(headers: list[tuple[str, str | bytes | None]] | None = None) -> Message:
    return Message(
        topic="events",
        partition=2,
        offset=41,
        key=b"acc-1",
        value=VALUE,
        headers=ORIGINAL if headers is None else headers,
    )


def written(reason: str = "boom", group: str = "projection") -> DeadLetter:
    """The letter as the worker writes it, read back at offset 5 of the dead-letter topic."""
    headers = dead_letter_headers(original(), reason, group)
    return DeadLetter(5, b"acc-1", VALUE, headers)


def test_the_worker_keeps_the_original_headers_and_adds_why_whence_who_and_when():
    before = datetime.now(UTC).timestamp()
    headers = dead_letter_headers(original(), "boom", "projection")
    assert headers[:2] == ORIGINAL
    added = dict(headers[2:])
    assert set(added) == DEAD_LETTER_HEADERS
    # The names on the wire, which operators' scripts read: unchanged.
    assert added["error"] == b"boom"
    assert added["original_topic"] == b"events"
    assert added["original_partition"] == b"2"
    assert added["original_offset"] == b"41"
    assert added["consumer_group"] == b"projection"
    assert before <= float(added["dead_lettered_at"]) <= datetime.now(UTC).timestamp()


def test_a_long_reason_is_cut():
    headers = dict(dead_letter_headers(original(), "x" * (REASON_LIMIT + 50), ""))
    assert headers["error"] == b"x" * REASON_LIMIT


def test_the_operator_reads_each_field_by_one_name():
    letter = written("FundsDeposited data is not an object")
    assert letter.reason == "FundsDeposited data is not an object"
    assert (letter.original_topic, letter.original_partition, letter.original_offset) == (
        "events",
        "2",
        "41",
    )
    assert letter.consumer_group == "projection"
    assert letter.key_text == "acc-1"
    assert (letter.event_type, letter.version) == ("FundsDeposited", "7")
    assert letter.replay_count == 0
    assert letter.dead_lettered_at is not None and letter.dead_lettered_at.tzinfo is UTC
    row = letter.summary()
    assert row["reason"] == letter.reason and "error" not in row
    assert row["key"] == "acc-1" and row["offset"] == 5 and row["version"] == "7"
    assert row["dead_lettered_at"] == letter.dead_lettered_at.isoformat(timespec="milliseconds")


def test_a_letter_dead_lettered_twice_reads_as_its_latest():
    first = written("first reason")
    again = DeadLetter(9, first.key, first.value, [*first.headers, ("error", b"second reason")])
    assert again.reason == "second reason"


def test_poison_of_any_shape_reads_without_failing():
    for value in (b"not json", b"[1, 2]", b"", None, b"[" * 100_000, b"\xff\xfe"):
        letter = DeadLetter(0, None, value, [("dead_lettered_at", b"1e300")])
        assert (letter.event_type, letter.version) == ("", "")
        assert letter.key_text is None and letter.summary()["key"] is None
        assert letter.dead_lettered_at is None and letter.reason == ""
        assert letter.replay_count == 0


def test_a_replay_sends_the_original_headers_and_counts_itself():
    letter = written()
    replayed = letter.replay_headers()
    assert replayed == [
        *ORIGINAL,
        ("replayed_from_dead_letter_offset", b"5"),
        ("replay_count", b"1"),
    ]
    # Dead-lettered again, it keeps the count; the next replay counts on from there.
    message = original(replayed)
    second = DeadLetter(8, b"acc-1", VALUE, dead_letter_headers(message, "again", "projection"))
    assert second.replay_count == 1
    assert second.replay_headers()[-2:] == [
        ("replayed_from_dead_letter_offset", b"8"),
        ("replay_count", b"2"),
    ]


def test_log_fields_say_where_a_message_was_and_its_request():
    assert message_fields(original()) == {"partition": 2, "offset": 41, "request_id": "req-1"}
    assert message_fields(original([]))["request_id"] is None
