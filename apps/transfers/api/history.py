"""A transfer's history as stored (its audit log), each event with who caused it."""

from datetime import datetime
from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from api_platform.permissions import CanViewEvents
from api_platform.schema import AUTH_ERRORS, error
from apps.contract.transfer_events import AGGREGATE_TYPE

from ..models import TransferRecord
from . import dependencies
from .errors import TransferNotFound, TransfersApiView
from .serializers import TransferHistoryOutput


class TransferEventsApi(TransfersApiView):
    """The transfer's history as stored (its audit log), each event with who caused it."""

    permission_classes = [IsAuthenticated, CanViewEvents]
    throttle_scope = "events"
    serializer_class = TransferHistoryOutput
    queryset = TransferRecord.objects.none()  # for the schema's path parameter

    @extend_schema(
        responses={
            200: TransferHistoryOutput,
            404: error("Unknown or malformed id, or the id of an account (transfer_not_found)"),
            **AUTH_ERRORS,
        },
        summary="A transfer's event history",
        description="Read from the event store, not the read model: every event at once (a "
        "transfer has at most six), each with `metadata`: the request's caller as `actor` "
        "for TransferRequested, `system:run_transfers` for the saga's steps, the requesting "
        "X-Request-ID as `correlation_id`, and as `causation_id` the command's id or the "
        "transfer event the step reacted to.",
    )
    def get(self, request: Request, transfer_id: str) -> Response:
        try:
            wanted = UUID(transfer_id)
        except ValueError:
            raise TransferNotFound(f"No transfer {transfer_id!r}.") from None
        events = dependencies.events.get().history(str(wanted))
        if not events or events[0]["aggregate_type"] != AGGREGATE_TYPE:
            raise TransferNotFound(f"No transfer {transfer_id}.")
        for event in events:  # the envelope's text, as the serializer's datetime
            event["timestamp"] = datetime.fromisoformat(event["timestamp"])
        return Response(TransferHistoryOutput({"id": wanted, "events": events}).data)
