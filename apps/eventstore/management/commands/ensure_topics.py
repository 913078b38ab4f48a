"""`manage.py ensure_topics`: create the Kafka topics if they are missing."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.contract.routes import topic_partitions
from apps.eventstore.topics import ensure_topics


class Command(BaseCommand):
    help = (
        "Creates the account-events and transfer-events topics (KAFKA_EVENTS_PARTITIONS "
        "partitions each) and the dead-letter topic, those that are missing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        topics = topic_partitions(settings)
        ensure_topics(settings.KAFKA_BOOTSTRAP_SERVERS, topics)
        listed = ", ".join(f"{name} ({n} partition(s))" for name, n in topics.items())
        self.stdout.write(f"topics ready: {listed}")
