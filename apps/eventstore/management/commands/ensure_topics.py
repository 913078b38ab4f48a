"""`manage.py ensure_topics`: create the Kafka topics if they are missing."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.eventstore.topics import ensure_topics


class Command(BaseCommand):
    help = "Creates the account-events topic (KAFKA_EVENTS_PARTITIONS partitions) and its DLQ."

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_topics(
            settings.KAFKA_BOOTSTRAP_SERVERS,
            {
                settings.KAFKA_EVENTS_TOPIC: settings.KAFKA_EVENTS_PARTITIONS,
                settings.KAFKA_DEAD_LETTER_TOPIC: 1,
            },
        )
        self.stdout.write(
            f"topics ready: {settings.KAFKA_EVENTS_TOPIC} ({settings.KAFKA_EVENTS_PARTITIONS} "
            f"partitions), {settings.KAFKA_DEAD_LETTER_TOPIC}"
        )
