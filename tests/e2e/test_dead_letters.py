"""`manage.py dead_letters list | show | replay`, against a real consume_events and Kafka."""

import io
import json
import sys
import time
from decimal import Decimal

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.accounts_command.domain.commands import OpenAccount
from apps.accounts_query.models import Account
from apps.eventstore import wire
from apps.messaging import dead_letters
from kernel.kafka_config import producer_config, reader_config
from tests import wired
from tests.support import settled_totals, signature, wait_until

pytestmark = pytest.mark.kafka

NOT_JSON = b"this is not json"
UNKNOWN = json.dumps({"event_type": "AccountRenamed", "version": 7, "data": {}}).encode()


def run(*args: str, stdin: str = "") -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    old, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        call_command("dead_letters", *args, stdout=out, stderr=err)
    finally:
        sys.stdin = old
    return out.getvalue(), err.getvalue()


def produce(topic: str, key: bytes, value: bytes, headers: list | None = None) -> None:
    producer = Producer(producer_config(settings.KAFKA_BOOTSTRAP_SERVERS))
    # Signed as ours are: these letters are judged by their content.
    headers = [*(headers or []), *signature(key, value)]
    producer.produce(topic, key=key, value=value, headers=headers)
    assert producer.flush(10) == 0


def letters(count: int) -> list[dead_letters.DeadLetter]:
    return wait_until(
        lambda: (
            found
            if len(
                found := dead_letters.read(
                    settings.KAFKA_BOOTSTRAP_SERVERS, settings.KAFKA_DEAD_LETTER_TOPIC
                )
            )
            >= count
            else None
        ),
        what=f"{count} dead letter(s)",
    )


def events_on_topic(topic: str) -> int:
    consumer = Consumer(reader_config(settings.KAFKA_BOOTSTRAP_SERVERS, "test-count"))
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        return sum(
            consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1]
            for p in partitions
        )
    finally:
        consumer.close()


@pytest.fixture
def poisoned(consumer_thread, event_store_db, kafka_topic):
    produce(kafka_topic, b"k-not-json", NOT_JSON)
    produce(kafka_topic, b"k-unknown", UNKNOWN, [("event_type", b"AccountRenamed")])
    settled_totals(consumer_thread, dead_lettered=2)
    return letters(2)


def test_list_shows_each_message_with_where_it_came_from_and_why(poisoned, kafka_topic):
    out, _ = run("list")
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["offset", "original_topic", "part"]
    assert lines[-1] == "2 dead-lettered message(s)"
    rows = lines[1:-1]
    assert len(rows) == 2
    by_key = {r.split()[4]: r for r in rows}
    assert set(by_key) == {"k-not-json", "k-unknown"}
    for row in rows:
        assert row.split()[1] == kafka_topic
        assert row.split()[7].startswith(str(time.gmtime().tm_year))  # dead_lettered_at
    assert "undecodable JSON" in by_key["k-not-json"]
    assert by_key["k-unknown"].split()[5:7] == ["AccountRenamed", "7"]
    assert "unknown event type 'AccountRenamed'" in by_key["k-unknown"]


def test_show_gives_the_whole_message_as_json(poisoned, kafka_topic):
    unknown = next(x for x in poisoned if x.key == b"k-unknown")
    out, _ = run("show", str(unknown.offset))
    shown = json.loads(out)
    assert shown["offset"] == unknown.offset
    assert shown["value"] == json.loads(UNKNOWN)
    assert shown["original_topic"] == kafka_topic
    assert shown["headers"]["event_type"] == "AccountRenamed"
    assert "AccountRenamed" in shown["headers"]["error"]
    assert shown["reason"] == shown["headers"]["error"] == unknown.reason
    assert shown["replay_count"] == 0
    with pytest.raises(CommandError, match="no dead-lettered message at offset"):
        run("show", "999")


def test_a_message_valid_now_is_replayed_and_applied(consumer_thread, event_store_db, kafka_topic):
    dispatcher, store = wired.unpublished()
    opened = dispatcher.dispatch(OpenAccount("Replayed", "SAVINGS", Decimal("12.34")))
    stored = store.get(str(opened.account_id), 1)
    dead_headers = [
        ("error", b"the read model was down"),
        ("original_topic", kafka_topic.encode()),
        ("original_partition", b"0"),
        ("original_offset", b"41"),
        ("dead_lettered_at", str(time.time()).encode()),
    ]
    produce(
        settings.KAFKA_DEAD_LETTER_TOPIC,
        stored.aggregate_id.encode(),
        wire.encode(stored),
        [*wire.headers(stored), *dead_headers],
    )
    [letter] = letters(1)
    assert not Account.objects.filter(pk=opened.account_id).exists()

    out, _ = run("replay", str(letter.offset), "--yes")

    assert f"replayed 1 message(s) to {kafka_topic}" in out
    row = wait_until(
        lambda: Account.objects.filter(pk=opened.account_id).first(), what="the replayed event"
    )
    assert row.balance == Decimal("12.34") and row.version == 1


def test_replay_stops_at_the_limit_instead_of_looping(poisoned, consumer_thread, settings):
    settings.DEAD_LETTER_MAX_REPLAYS = 2
    first = next(x for x in poisoned if x.key == b"k-not-json")
    offset, total = first.offset, 2
    for count in (1, 2):
        run("replay", str(offset), "--yes")
        total += 1
        settled_totals(consumer_thread, dead_lettered=total)  # it fails again
        again = letters(total)[-1]
        assert again.key == b"k-not-json" and again.replay_count == count
        assert again.header("replayed_from_dead_letter_offset") == str(offset)
        offset = again.offset
    before = events_on_topic(settings.KAFKA_EVENTS_TOPIC)
    with pytest.raises(CommandError, match="nothing to replay"):
        run("replay", str(offset), "--yes")
    assert events_on_topic(settings.KAFKA_EVENTS_TOPIC) == before
    # --all sends the ones under the limit and names the one refused.
    out, err = run("replay", "--all", "--yes")
    assert f"offset {offset}: not replayed: already replayed 2 time(s)" in err
    assert f"replayed {total - 1} message(s)" in out


def test_replay_asks_first_and_sends_nothing_on_no(poisoned, kafka_topic):
    before = events_on_topic(kafka_topic)
    with pytest.raises(CommandError, match="not replayed"):
        out, _ = run("replay", "--all", stdin="n\n")
    assert events_on_topic(kafka_topic) == before
    with pytest.raises(CommandError, match="not replayed"):
        run("replay", "--all", stdin="")  # no answer is a no
    assert events_on_topic(kafka_topic) == before
    out, _ = run("replay", "--all", stdin="y\n")
    assert out.startswith(f"Send 2 message(s) to {kafka_topic}? [y/N] ")
    assert events_on_topic(kafka_topic) == before + 2


def test_replay_needs_offsets_or_all(poisoned):
    with pytest.raises(CommandError, match="offsets to replay, or --all"):
        run("replay", "--yes")
