"""How a transfer request answers a repeat of its Idempotency-Key whose first request died
after storing its TransferRequested (api_platform/idempotency.py): exactly as that request
would have answered, 202 with the transfer and its Location.

The transfer is rebuilt from that one event, not from the whole stream: the first answer showed
the transfer as requested (PENDING, version 1), and the saga may have moved it on since.
"""

from uuid import UUID

from django.conf import settings
from rest_framework import status

from api_platform.idempotency import Answer
from apps.contract.transfer_events import AGGREGATE_TYPE
from apps.eventstore.records import StoredEvent

from ..domain.transfer import Transfer
from ..infrastructure.transfer_repository import from_stored
from .serializers import TransferOutput


def accepted(transfer: Transfer) -> Answer:
    """The 202 of a transfer request: the transfer as requested, and where to follow it."""
    location = settings.TRANSFER_QUERY_PATH.format(id=transfer.id)
    return status.HTTP_202_ACCEPTED, TransferOutput(transfer).data, {"Location": location}


def recover_transfer(event: StoredEvent) -> Answer:
    # The key's fingerprint names this endpoint, so its event is the request's own.
    if event.aggregate_type != AGGREGATE_TYPE or event.version != 1:
        raise RuntimeError(f"Idempotency key's event is no transfer request: {event.event_id}")
    transfer_id = UUID(event.aggregate_id)
    return accepted(Transfer.rebuild(transfer_id, [from_stored(event)]))
