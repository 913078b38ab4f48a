"""How an account command answers a repeat of its Idempotency-Key whose first request died
after storing its event (api_platform/idempotency.py): as that request would have answered."""

from typing import Any

from django.conf import settings
from rest_framework import status

from api_platform.idempotency import Answer
from apps.eventstore.records import StoredEvent


def recover_command(event: StoredEvent) -> Answer:
    """An opening (version 1) answered 201 with the account's Location; any later command 200.
    Both with {id, version}: the command's output."""
    body: dict[str, Any] = {"id": event.aggregate_id, "version": event.version}
    if event.version == 1:
        location = settings.ACCOUNT_QUERY_PATH.format(id=event.aggregate_id)
        return status.HTTP_201_CREATED, body, {"Location": location}
    return status.HTTP_200_OK, body, {}
