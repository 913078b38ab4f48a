"""The transfers API: request a transfer (202, then the process manager runs it), read one,
list them in cursor pages.

The 202's body is the aggregate the request service returns, not a row: the read model is
projected from the transfer's events asynchronously, so right after the request it may not
show the transfer yet (`?min_version=1` on the detail waits for it).
"""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from api_platform import read_your_writes
from api_platform.idempotency import idempotent
from api_platform.ids import parse_account_id
from api_platform.pages import TimeCursorPagination
from api_platform.permissions import CanExecuteCommands, CanViewAccounts
from api_platform.schema import (
    AUTH_ERRORS,
    BODY_ERRORS,
    IDEMPOTENCY_ERRORS,
    IDEMPOTENCY_KEY,
    error,
)
from apps.contract.transfer_events import AGGREGATE_TYPE

from ..models import TransferRecord
from . import dependencies
from .errors import TransferNotFound, TransfersApiView
from .filters import TransferFilter
from .recovery import accepted, recover_transfer
from .serializers import TransferInput, TransferOutput

REQUEST_ERRORS = {
    400: error(
        "Invalid input (invalid_input: amount, missing or unknown fields; parse_error), or "
        "the same account on both sides (same_account)"
    ),
    **AUTH_ERRORS,
    404: error(
        "from_account or to_account is unknown, malformed, or not an account (a transfer's "
        "id, say): account_not_found"
    ),
    **IDEMPOTENCY_ERRORS,
    **BODY_ERRORS,
}
LIST_ERRORS = {
    400: error(
        "Invalid filter value, to before from, page_size not 1-100, or a cursor that is not "
        "one of ours (invalid_input)"
    ),
    **AUTH_ERRORS,
}
DETAIL_ERRORS = {
    400: error("Invalid min_version or wait (invalid_input)"),
    404: error("Unknown or malformed id, or the id of an account (transfer_not_found)"),
    **AUTH_ERRORS,
    429: read_your_writes.BEHIND[429],
    503: error(
        "min_version not reached within `wait`, or a transfer requested a moment ago whose row "
        "is not projected within 2 s (projection_behind); every thread this server lets wait "
        "is waiting (waiting_threads_busy); Retry-After: 1"
    ),
}


ACCEPTED_HEADERS = [
    OpenApiParameter(
        "Location",
        str,
        OpenApiParameter.HEADER,
        description="The transfer's absolute URL, /api/v1/transfers/{id}/",
        response=[202],
    ),
    OpenApiParameter(
        "Idempotent-Replayed",
        str,
        OpenApiParameter.HEADER,
        description="`true` on a repeat answered with the first request's answer",
        response=[202],
    ),
]


class TransferPagination(TimeCursorPagination):
    # Requested order; the id tells apart two transfers requested in the same millisecond.
    ordering = ("created_at", "id")
    page_size_query_description = "Transfers per page: 1 to 100 (default 20); else a 400."


class TransferListApi(TransfersApiView, ListAPIView):
    """GET: the transfers, oldest first, in cursor pages. POST: request one."""

    serializer_class = TransferOutput
    pagination_class = TransferPagination
    filterset_class = TransferFilter

    def get_queryset(self) -> QuerySet[TransferRecord]:
        return TransferRecord.objects.all()

    def get_serializer_class(self) -> type:
        return TransferInput if self.request.method == "POST" else TransferOutput

    def get_permissions(self) -> list[Any]:
        # Tellers and auditors read; only tellers move money.
        needed = CanExecuteCommands if self.request.method == "POST" else CanViewAccounts
        return [IsAuthenticated(), needed()]

    @extend_schema(
        summary="List transfers",
        description="Oldest first (created_at, id), cursor-paginated (`next`, `previous`, "
        "`results`), 20 per page, `page_size` 1-100. Filters combine (all must hold). "
        "Eventually consistent: projected from the transfers' events.",
        responses={200: TransferOutput(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=TransferInput,
        parameters=[IDEMPOTENCY_KEY, *ACCEPTED_HEADERS],
        responses={
            202: OpenApiResponse(TransferOutput, description="Requested: the saga runs now"),
            **REQUEST_ERRORS,
        },
        summary="Request a transfer between two accounts (runs asynchronously)",
        description="202 with the transfer as requested (PENDING, version 1, its deadline) "
        "and `Location: /api/v1/transfers/{id}/`. The process manager then debits, credits "
        "and completes it, or fails it with a reason.",
    )
    @idempotent(recover_transfer)
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        transfer = dependencies.requests.get().request(
            parse_account_id(data["from_account"]),
            parse_account_id(data["to_account"]),
            data["amount"],
        )
        code, body, headers = accepted(transfer)
        headers["Location"] = request.build_absolute_uri(headers["Location"])
        return Response(body, status=code, headers=headers)


class TransferDetailApi(TransfersApiView):
    """One transfer from the read model; `min_version` waits for the request's own row."""

    permission_classes = [IsAuthenticated, CanViewAccounts]
    serializer_class = TransferOutput
    queryset = TransferRecord.objects.none()  # for the schema's path parameter

    @extend_schema(
        parameters=read_your_writes.PARAMETERS,
        responses={200: TransferOutput, **DETAIL_ERRORS},
        summary="One transfer",
    )
    def get(self, request: Request, transfer_id: str) -> Response:
        try:
            wanted = UUID(transfer_id)
        except ValueError:
            raise TransferNotFound(f"No transfer {transfer_id!r}.") from None
        try:
            record = read_your_writes.read_at_least(
                request,
                lambda: TransferRecord.objects.filter(id=wanted).first(),
                lambda row: row.version,
            )
        except read_your_writes.ProjectionBehind:
            if not is_transfer(wanted):  # no row will ever come: do not say "retry"
                raise TransferNotFound(f"No transfer {transfer_id}.") from None
            raise
        if record is None:
            if not is_transfer(wanted):  # an account's id, say: no row will ever come
                raise TransferNotFound(f"No transfer {transfer_id}.")
            # Accepted (202) a moment ago and not projected yet: a client that asks at once
            # waits for its row briefly, as if it sent min_version=1, rather than hear 404.
            record = read_your_writes.wait_for(
                request,
                lambda: TransferRecord.objects.filter(id=wanted).first(),
                lambda row: row.version,
                1,
                FIRST_ROW_WAIT_SECONDS,
            )
        return Response(TransferOutput(record).data)


# How long a plain GET waits for the row of a transfer the store holds (then 503, Retry-After).
FIRST_ROW_WAIT_SECONDS = 2.0


def is_transfer(transfer_id: UUID) -> bool:
    return dependencies.events.get().aggregate_type(str(transfer_id)) == AGGREGATE_TYPE
