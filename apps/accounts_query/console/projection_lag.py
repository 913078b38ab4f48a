"""The projection's lag per partition as Kafka sees it: the consumer group's committed offset
against each partition's high watermark, for the admin console. Short timeouts throughout:
an unreachable broker raises KafkaException quickly, and the page says "unavailable".
"""

from __future__ import annotations

from dataclasses import dataclass

from confluent_kafka import Consumer, ConsumerGroupTopicPartitions, KafkaException, TopicPartition
from confluent_kafka.admin import AdminClient

from kernel.kafka_config import admin_config, reader_config
from operations.kafka_lag import partition_lag


@dataclass(frozen=True)
class PartitionLag:
    partition: int
    committed: int | None  # None: the group has committed nothing there yet
    high_watermark: int
    lag: int


def projection_lag(
    bootstrap_servers: str, topic: str, group: str, timeout: float = 3.0
) -> list[PartitionLag]:
    admin = AdminClient(admin_config(bootstrap_servers))
    metadata = admin.list_topics(topic, timeout=timeout).topics.get(topic)
    if metadata is None or metadata.error is not None:
        raise KafkaException(metadata.error if metadata else f"no topic {topic}")
    partitions = sorted(metadata.partitions)
    request = ConsumerGroupTopicPartitions(group, [TopicPartition(topic, p) for p in partitions])
    (future,) = admin.list_consumer_group_offsets([request], request_timeout=timeout).values()
    committed = {
        tp.partition: tp.offset
        for tp in future.result(timeout).topic_partitions
        if tp.error is None and tp.offset >= 0
    }
    # Only for the high watermarks: it never subscribes, polls nor commits.
    consumer = Consumer(reader_config(bootstrap_servers, "admin-console"))
    try:
        lags = []
        for partition in partitions:
            low, high = consumer.get_watermark_offsets(
                TopicPartition(topic, partition), timeout=timeout
            )
            done = committed.get(partition)
            lags.append(PartitionLag(partition, done, high, partition_lag(low, high, done)))
        return lags
    finally:
        consumer.close()
