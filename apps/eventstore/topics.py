"""Creates the Kafka topics the system uses, if they do not exist yet."""

import logging

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient, NewTopic
from django.conf import settings

log = logging.getLogger(__name__)


def ensure_topics(timeout: float = 30.0) -> None:
    admin = AdminClient({"bootstrap.servers": settings.KAFKA_BOOTSTRAP_SERVERS})
    # Replication factor -1: the cluster's default.replication.factor (1 on the single broker,
    # 3 on scripts/kafka-cluster.sh's cluster), so a cluster keeps every event on three brokers.
    wanted = [
        NewTopic(settings.KAFKA_EVENTS_TOPIC, settings.KAFKA_EVENTS_PARTITIONS, -1),
        NewTopic(settings.KAFKA_DEAD_LETTER_TOPIC, 1, -1),
    ]
    existing = admin.list_topics(timeout=timeout).topics
    missing = [t for t in wanted if t.topic not in existing]
    if not missing:
        return
    for name, future in admin.create_topics(missing, request_timeout=timeout).items():
        try:
            future.result()
            log.info("created topic %s", name)
        except KafkaException as exc:
            if exc.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise
