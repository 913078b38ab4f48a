"""Every Kafka client of the product is configured by kernel/kafka_config.py: what must hold
for all holds in each config, and no other product module spells a client setting."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from kernel.kafka_config import (
    LOG_LEVEL,
    SILENT,
    admin_config,
    consumer_config,
    producer_config,
    reader_config,
    security,
    security_config,
    use_security,
)

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("apps", "kernel", "api_platform", "operations", "techbank")
# A client built from a dict literal, or a librdkafka setting spelled out.
SETTING = (
    r"bootstrap\.servers|group\.id|acks|enable\.[a-z.]+|linger\.ms|[a-z.]+\.timeout\.ms"
    r"|[a-z.]+\.interval\.ms|log_level|auto\.offset\.reset"
)
BY_HAND = re.compile(rf"(Producer|Consumer|AdminClient)\(\s*\{{|\"({SETTING})\"")


def test_producers_are_idempotent_and_wait_for_every_replica():
    config = producer_config("k:9092", message_timeout_ms=30000, linger_ms=2)
    assert config == {
        "bootstrap.servers": "k:9092",
        "enable.idempotence": True,
        "acks": "all",
        "log_level": LOG_LEVEL,
        "message.timeout.ms": 30000,
        "linger.ms": 2,
    }
    assert "message.timeout.ms" not in producer_config("k:9092")  # librdkafka's default


def test_group_members_commit_by_hand():
    config = consumer_config("k:9092", "projection", max_poll_interval_ms=60000)
    assert config["group.id"] == "projection"
    assert config["enable.auto.commit"] is False
    assert config["auto.offset.reset"] == "earliest"
    assert config["max.poll.interval.ms"] == 60000
    assert config["log_level"] == LOG_LEVEL


def test_readers_commit_nothing_under_a_group_of_their_own():
    one, two = reader_config("k:9092", "dead-letters"), reader_config("k:9092", "dead-letters")
    assert one["group.id"].startswith("techbank-dead-letters-")
    assert one["group.id"] != two["group.id"]
    assert one["enable.auto.commit"] is False and one["enable.auto.offset.store"] is False
    assert "enable.partition.eof" not in one
    assert reader_config("k:9092", "x", partition_eof=True)["enable.partition.eof"] is True


def test_an_admin_client_with_a_deadline_bounds_its_sockets():
    assert admin_config("k:9092") == {"bootstrap.servers": "k:9092", "log_level": LOG_LEVEL}
    probe = admin_config("k:9092", timeout_ms=2000, log_level=SILENT)
    assert probe["socket.timeout.ms"] == probe["socket.connection.setup.timeout.ms"] == 2000
    assert probe["log_level"] == 0


def test_no_other_product_module_configures_a_kafka_client_by_hand():
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for package in PRODUCT
        for path in (ROOT / package).rglob("*.py")
        if path.name != "kafka_config.py"
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if BY_HAND.search(line)
    ]
    assert found == []


def test_without_sasl_settings_clients_speak_plaintext():
    assert security_config() == {} == security_config("PLAINTEXT", "SCRAM-SHA-512", "u", "p")


def test_every_client_logs_in_with_the_process_sasl_user():
    login = {
        "security.protocol": "SASL_PLAINTEXT",
        "sasl.mechanism": "SCRAM-SHA-512",
        "sasl.username": "techbank-web",
        "sasl.password": "secret",
    }
    use_security("SASL_PLAINTEXT", "SCRAM-SHA-512", "techbank-web", "secret")
    try:
        for config in (
            producer_config("k:9092"),
            consumer_config("k:9092", "g"),
            reader_config("k:9092", "r"),
            admin_config("k:9092"),
        ):
            assert config.items() >= login.items()
        assert security() == login
        use_security()
        assert "security.protocol" not in producer_config("k:9092")
    finally:  # back to this process's own login (techbank/settings/credentials.py)
        use_security(
            settings.KAFKA_SECURITY_PROTOCOL,
            settings.KAFKA_SASL_MECHANISM,
            settings.KAFKA_SASL_USERNAME,
            settings.KAFKA_SASL_PASSWORD,
        )


def test_sasl_without_a_user_is_refused():
    with pytest.raises(ValueError, match="SASL user name"):
        security_config("SASL_PLAINTEXT", "SCRAM-SHA-512")
