"""The event store as a Django app: its MongoDB connection and, after `migrate`, its indexes."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EventStoreConfig(AppConfig):
    name = "apps.eventstore"
    label = "eventstore"
    verbose_name = "Event store"

    def ready(self) -> None:
        import mongoengine
        from django.conf import settings

        # connect=False: pymongo connects on first use, after any fork (gunicorn workers).
        mongoengine.connect(
            host=settings.MONGODB_URL,
            tz_aware=True,
            connect=False,
            uuidRepresentation="standard",
            serverSelectionTimeoutMS=settings.MONGODB_TIMEOUT_MS,
            socketTimeoutMS=settings.MONGODB_SOCKET_TIMEOUT_MS,
        )
        post_migrate.connect(_create_indexes, sender=self)


def _create_indexes(**_: object) -> None:
    # `manage.py migrate` is the one set-up step; it prepares the event store too.
    from .store import ensure_indexes

    ensure_indexes()
