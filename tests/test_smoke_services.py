"""One real client call per server, through the project's own settings."""

import uuid

import mongoengine
import pytest
from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic
from django.conf import settings
from django.db import connection

from kernel.kafka_config import admin_config, consumer_config, producer_config


@pytest.mark.django_db
def test_mysql_answers_through_the_django_connection():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 6 * 7, VERSION()")
        answer, version = cursor.fetchone()
    assert answer == 42
    assert "MariaDB" in version or version[0].isdigit()


def test_mongodb_answers_through_the_mongoengine_connection():
    reply = mongoengine.get_connection().admin.command("ping")
    assert reply["ok"] == 1.0


def test_kafka_round_trip_through_confluent_kafka():
    topic = f"test.smoke.{uuid.uuid4().hex[:8]}"
    admin = AdminClient(admin_config(settings.KAFKA_BOOTSTRAP_SERVERS))
    admin.create_topics([NewTopic(topic, 1, 1)])[topic].result(timeout=30)
    try:
        payload = uuid.uuid4().hex.encode()
        producer = Producer(producer_config(settings.KAFKA_BOOTSTRAP_SERVERS))
        producer.produce(topic, value=payload)
        assert producer.flush(30) == 0
        consumer = Consumer(
            consumer_config(settings.KAFKA_BOOTSTRAP_SERVERS, f"smoke-{uuid.uuid4().hex}")
        )
        consumer.subscribe([topic])
        received = None
        for _ in range(60):
            message = consumer.poll(1.0)
            if message is not None and not message.error():
                received = message.value()
                break
        consumer.close()
        assert received == payload
    finally:
        admin.delete_topics([topic])[topic].result(timeout=30)
