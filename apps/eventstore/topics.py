"""Creates the Kafka topics the system uses, if they do not exist yet."""

import logging
from collections.abc import Mapping

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient, NewTopic

from kernel.kafka_config import admin_config

log = logging.getLogger(__name__)


def ensure_topics(
    bootstrap_servers: str, partitions: Mapping[str, int], timeout: float = 30.0
) -> None:
    """Creates each topic of `partitions` (name -> partition count) that is missing."""
    admin = AdminClient(admin_config(bootstrap_servers))
    existing = admin.list_topics(timeout=timeout).topics
    # replication_factor -1: the broker's default.replication.factor (3 on a cluster).
    missing = [
        NewTopic(name, n, replication_factor=-1)
        for name, n in partitions.items()
        if name not in existing
    ]
    if not missing:
        return
    for name, future in admin.create_topics(missing, request_timeout=timeout).items():
        try:
            future.result()
            log.info("created topic %s", name)
        except KafkaException as exc:
            if exc.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise
