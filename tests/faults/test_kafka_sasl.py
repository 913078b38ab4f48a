"""Kafka as docker-compose.yml runs it: SASL/SCRAM logins and ACLs, on a private broker.

The users and ACLs are services/kafka/acls.conf's, the file the compose set-up applies. A
client without credentials (or with a wrong password) is refused: it can neither produce nor
consume; the projection's user reads the events topic but cannot write to it; the web's
writer user can; and our own clients take their login from the environment.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from confluent_kafka import Consumer, KafkaError, KafkaException, Producer
from confluent_kafka.admin import AdminClient

from kernel.kafka_config import admin_config, consumer_config, producer_config
from tests.harness.kafka import SaslKafka
from tests.harness.processes import PY

pytestmark = pytest.mark.kafka

ROOT = Path(__file__).resolve().parents[2]
ACLS = ROOT / "services" / "kafka" / "acls.conf"
EVENTS, DEAD_LETTERS = "techbank.account-events", "techbank.account-events.dead-letter"
PROJECTION_GROUP = "techbank-accounts-query"


def acl_lines() -> list[tuple[str, str, str, str, str]]:
    rows = (line.split() for line in ACLS.read_text().splitlines())
    found = []
    for row in rows:
        if row and not row[0].startswith("#"):
            user, resource_type, name, pattern, operation = row  # five fields a line
            found.append((user, resource_type, name, pattern, operation))
    return found


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SaslKafka, dict]]:
    """The broker, its topics, and every user of acls.conf with a password of its own."""
    with SaslKafka(tmp_path_factory.mktemp("sasl") / "kafka") as kafka:
        admin = kafka.admin_login()
        create_topics_as(admin, {EVENTS: 3, DEAD_LETTERS: 1, "techbank.transfer-events": 3})
        rows = acl_lines()
        passwords = {user: secrets.token_hex(12) for user, *_ in rows}
        for user, password in passwords.items():
            kafka.add_user(user, password)
        for user in passwords:
            kafka.allow(user, [(r[1], r[2], r[3], r[4]) for r in rows if r[0] == user])
        yield kafka, passwords


def create_topics_as(login: dict, topics: dict[str, int]) -> None:
    from confluent_kafka.admin import NewTopic

    admin = AdminClient({**admin_config(login["bootstrap.servers"]), **login})
    wanted = [NewTopic(name, n, 1) for name, n in topics.items()]
    for future in admin.create_topics(wanted, request_timeout=30).values():
        future.result(30)


def produce(login: dict, topic: str, timeout_ms: int = 10000) -> KafkaError | None:
    """Produces one message as `login`; the error its delivery report gave (None: stored)."""
    config = {
        **producer_config(login["bootstrap.servers"], message_timeout_ms=timeout_ms),
        **login,
    }
    producer = Producer(config)
    outcome: list[KafkaError | None] = []
    producer.produce(topic, b"value", key=b"key", on_delivery=lambda err, _: outcome.append(err))
    producer.flush(timeout_ms / 1000 + 5)
    assert outcome, "no delivery report"
    return outcome[0]


def consume(login: dict, group: str, timeout: float = 10.0) -> list[bytes] | KafkaError:
    """Every message of EVENTS as `login` in `group`, or the first error the client got."""
    config = {**consumer_config(login["bootstrap.servers"], group), **login, "log_level": 0}
    consumer = Consumer(config)
    consumer.subscribe([EVENTS])
    found: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and not found:
            message = consumer.poll(0.5)
            if message is None:
                continue
            if error := message.error():
                return error
            value = message.value()
            assert value is not None, "every event has a value"
            found.append(value)
    finally:
        consumer.close()
    return found


def user(broker: tuple[SaslKafka, dict], name: str, password: str | None = None) -> dict:
    kafka, passwords = broker
    return kafka.login(name, password or passwords[name])


def test_a_client_without_credentials_is_refused(broker):
    kafka, _ = broker
    assert produce(user(broker, "techbank-web"), EVENTS) is None  # something to read
    anonymous = {"bootstrap.servers": kafka.bootstrap}
    with pytest.raises(KafkaException):
        AdminClient({**anonymous, "log_level": 0}).list_topics(timeout=5)
    error = produce(anonymous, EVENTS, timeout_ms=5000)
    assert error is not None and error.code() == KafkaError._MSG_TIMED_OUT
    got = consume(anonymous, PROJECTION_GROUP, timeout=5)
    assert not got or isinstance(got, KafkaError)  # nothing read, whatever it was told


def test_a_wrong_password_is_refused(broker):
    wrong = user(broker, "techbank-web", password="not-the-password")
    error = produce(wrong, EVENTS, timeout_ms=5000)
    assert error is not None
    with pytest.raises(KafkaException):
        AdminClient({**wrong, "log_level": 0}).list_topics(timeout=5)


def test_the_projection_user_reads_the_events_but_cannot_write_them(broker):
    writer, projection = user(broker, "techbank-web"), user(broker, "techbank-projection")
    assert produce(writer, EVENTS) is None  # the web may write the events topic
    error = produce(projection, EVENTS)
    assert error is not None and error.code() == KafkaError.TOPIC_AUTHORIZATION_FAILED
    assert produce(projection, DEAD_LETTERS) is None  # it may dead-letter
    got = consume(projection, PROJECTION_GROUP)
    assert got and not isinstance(got, KafkaError) and set(got) == {b"value"}, got


def test_the_writer_user_cannot_read_the_events_nor_join_the_projection_group(broker):
    writer = user(broker, "techbank-web")
    got = consume(writer, PROJECTION_GROUP, timeout=5)
    assert isinstance(got, KafkaError), got
    assert got.code() in {
        KafkaError.TOPIC_AUTHORIZATION_FAILED,
        KafkaError.GROUP_AUTHORIZATION_FAILED,
    }


def test_the_broker_stops_when_the_test_ends(tmp_path):
    with SaslKafka(tmp_path / "kafka") as kafka:
        node = kafka.nodes[0]
        pid = kafka.pid(node)
        assert pid is not None
    assert kafka.pid(node) is None


def manage_as(kafka: SaslKafka, login: dict, topic: str, *command: str) -> CompletedProcess:
    """`manage.py COMMAND` with the SASL login in its environment, as a deployment gives it."""
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap,
        "KAFKA_SECURITY_PROTOCOL": login["security.protocol"],
        "KAFKA_SASL_MECHANISM": login["sasl.mechanism"],
        "KAFKA_SASL_USERNAME": login["sasl.username"],
        "KAFKA_SASL_PASSWORD": login["sasl.password"],
        "KAFKA_EVENTS_TOPIC": f"{topic}.accounts",
        "KAFKA_TRANSFER_EVENTS_TOPIC": f"{topic}.transfers",
        "KAFKA_DEAD_LETTER_TOPIC": f"{topic}.dead-letter",
    }
    return subprocess.run(
        [PY, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_our_clients_log_in_with_the_settings_from_the_environment(broker):
    """kernel/kafka_config.py builds every client with KAFKA_SECURITY_PROTOCOL and KAFKA_SASL_*:
    `ensure_topics` creates the topics as the admin, and is refused as the web's user."""
    kafka, _ = broker
    refused = manage_as(kafka, user(broker, "techbank-web"), "sasl-web", "ensure_topics")
    assert refused.returncode != 0
    assert "AUTHORIZATION_FAILED" in refused.stderr, refused.stderr[-2000:]
    made = manage_as(kafka, kafka.admin_login(), "sasl-admin", "ensure_topics")
    assert made.returncode == 0, made.stderr[-2000:]
    topics = AdminClient({**kafka.admin_login(), "log_level": 0}).list_topics(timeout=10).topics
    assert {"sasl-admin.accounts", "sasl-admin.transfers", "sasl-admin.dead-letter"} <= set(topics)
    assert not any(name.startswith("sasl-web") for name in topics)
