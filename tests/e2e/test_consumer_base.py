"""The consumer base (apps/messaging): bounded attempts, parking, outages, poison; real Kafka."""

import threading
from collections import Counter

import pytest
from confluent_kafka import Message, Producer
from django.conf import settings as django_settings
from django.db import OperationalError

from apps.messaging.consumer import BatchConsumer, ConsumerSettings, Delivery, Failures, Poison
from kernel.kafka_config import producer_config
from tests.e2e.kafka_topics import (
    consumer_settings,
    fresh_topics,
    headers,
    produce,
    read_all,
    running,
)
from tests.support import wait_until

pytestmark = pytest.mark.kafka


class Flaky(BatchConsumer[str]):
    """Fails each value its number of times in `failures`; "outage" raises an outage first."""

    def __init__(self, settings: ConsumerSettings, failures: dict[str, int], outages: int = 0):
        super().__init__(settings)
        self.failures = failures
        self.outages = outages
        self.calls: Counter[str] = Counter()
        self.done: list[str] = []
        self.parked: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def decode(self, message: Message) -> str:
        value = (message.value() or b"").decode()
        if value.startswith("poison"):
            raise Poison(f"{value} is refused by its contract")
        return value

    def process(self, deliveries: list[Delivery[str]]) -> Failures[str]:
        failed = []
        for delivery in deliveries:
            if delivery.value == "outage" and self.outages:
                self.outages -= 1
                raise OperationalError("MySQL has gone away")
            self.calls[delivery.value] += 1
            if self.calls[delivery.value] <= self.failures.get(delivery.value, 0):
                failed.append((delivery, "ValueError: boom"))
            else:
                self.done.append(delivery.value)
        return failed

    def on_parked(self, message: Message, reason: str) -> None:
        self.parked.append(((message.value() or b"").decode(), reason))


def started(failures: dict[str, int], outages: int = 0, **overrides):
    topic, dead_letters = fresh_topics()
    consumer = Flaky(consumer_settings(topic, dead_letters, **overrides), failures, outages)
    return topic, dead_letters, consumer


def test_a_message_failing_every_attempt_is_parked_and_the_others_go_on():
    topic, dead_letters, consumer = started({"stuck": 99}, max_attempts=3)
    for _ in running(consumer):
        produce(topic, [(b"k", b"before"), (b"k", b"stuck"), (b"k", b"after")])
        wait_until(lambda: consumer.totals["parked"] == 1, what="the message to be parked")
        assert consumer.calls["stuck"] == 3
        assert set(consumer.done) >= {"before", "after"}
        assert consumer.parked == [("stuck", "ValueError: boom (after 3 attempts)")]
        [letter] = read_all(dead_letters, 1)
        assert letter.value() == b"stuck"
        found = headers(letter)
        assert found["error"] == "ValueError: boom (after 3 attempts)"
        assert found["consumer_group"] == consumer.settings.group_id
        assert found["original_topic"] == topic
        produce(topic, [(b"k", b"later")])
        wait_until(lambda: "later" in consumer.done, what="the next message")


def test_a_message_that_recovers_within_its_attempts_is_not_parked():
    topic, _, consumer = started({"shaky": 2}, max_attempts=3)
    for _ in running(consumer):
        produce(topic, [(b"k", b"shaky")])
        wait_until(lambda: "shaky" in consumer.done, what="the third attempt")
        assert consumer.calls["shaky"] == 3
        assert consumer.totals == {"dead_lettered": 0, "parked": 0}
        assert consumer.parked == []


def test_an_outage_is_waited_out_beyond_max_attempts_and_parks_nothing():
    topic, _, consumer = started({}, outages=3, max_attempts=1)
    for _ in running(consumer):
        produce(topic, [(b"k", b"outage")])
        wait_until(lambda: "outage" in consumer.done, timeout=30, what="the end of the outage")
        assert consumer.outages == 0
        assert consumer.totals["parked"] == 0


def test_poison_is_dead_lettered_at_once_and_is_not_parked():
    topic, dead_letters, consumer = started({}, max_attempts=5)
    for _ in running(consumer):
        produce(topic, [(b"k", b"poison-1"), (b"k", b"fine")])
        [letter] = read_all(dead_letters, 1)
        assert headers(letter)["error"] == "poison-1 is refused by its contract"
        wait_until(lambda: "fine" in consumer.done, what="the message after the poison")
        assert consumer.calls["poison-1"] == 0
        assert consumer.parked == []
        wait_until(lambda: consumer.totals["dead_lettered"] == 1, what="the count")


def test_an_unauthentic_message_is_dead_lettered_before_it_is_decoded():
    """Every consumer (the projection, the process manager, the transfer rows) stands on this
    base: a message without our signature never reaches decode, let alone process."""
    topic, dead_letters, consumer = started({}, max_attempts=5)
    for _ in running(consumer):
        unsigned = Producer(producer_config(django_settings.KAFKA_BOOTSTRAP_SERVERS))
        unsigned.produce(topic, key=b"k", value=b"forged")
        unsigned.produce(topic, key=b"k", value=b"forged", headers=[("signature", b"k1:00")])
        assert unsigned.flush(10) == 0
        produce(topic, [(b"k", b"fine")])  # signed with this run's key
        letters = read_all(dead_letters, 2)
        assert [headers(letter)["error"] for letter in letters] == [
            "unauthenticated: no signature header",
            "unauthenticated: malformed signature header",
        ]
        wait_until(lambda: "fine" in consumer.done, what="the signed message after them")
        assert consumer.calls["forged"] == 0 and consumer.parked == []
