"""The transfers API: request a transfer (202, then the process manager runs it), read one,
list an account's transfers."""

from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts_command.api.idempotency import idempotent
from apps.accounts_command.api.schema import ACCOUNT_ERRORS, IDEMPOTENCY_KEY
from apps.accounts_command.api.views import CommandApiView
from techbank.api import read_your_writes
from techbank.api.ids import parse_account_id
from techbank.api.permissions import CanExecuteCommands, CanViewAccounts
from techbank.api.schema import AUTH_ERRORS, error

from ..models import TransferRecord
from . import dependencies
from .serializers import TransferInput, TransferListQuery, TransferOutput

TRANSFER_NOT_FOUND = {404: error("Unknown or malformed transfer id (transfer_not_found)")}


class TransferListApi(CommandApiView):
    serializer_class = TransferInput
    queryset = TransferRecord.objects.none()  # for the schema's path parameters

    def get_permissions(self) -> list[Any]:
        needed = CanExecuteCommands if self.request.method == "POST" else CanViewAccounts
        return [IsAuthenticated(), needed()]

    def get_throttles(self) -> list[Any]:
        self.throttle_scope = "commands" if self.request.method == "POST" else "reads"
        return super().get_throttles()

    @extend_schema(
        request=TransferInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            202: TransferOutput,
            **ACCOUNT_ERRORS,
            400: error("Invalid input, or the same account twice (same_account)"),
        },
        summary="Request a transfer between two accounts (runs asynchronously)",
    )
    @idempotent
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        transfer = dependencies.requests.get().request(
            parse_account_id(data["from_account"]),
            parse_account_id(data["to_account"]),
            data["amount"],
        )
        record = TransferRecord.objects.get(id=transfer.id)
        location = settings.TRANSFER_QUERY_PATH.format(id=transfer.id)
        return Response(
            TransferOutput(record).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": request.build_absolute_uri(location)},
        )

    @extend_schema(
        parameters=[OpenApiParameter("account", str, required=True)],
        responses={
            200: TransferOutput(many=True),
            400: error("No or bad account (invalid_input)"),
            **AUTH_ERRORS,
        },
        summary="An account's transfers (either side), oldest first",
    )
    def get(self, request: Request) -> Response:
        query = TransferListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        account = query.validated_data["account"]
        rows = TransferRecord.objects.filter(from_account=account) | TransferRecord.objects.filter(
            to_account=account
        )
        return Response(TransferOutput(rows.order_by("created_at", "id")[:1000], many=True).data)


class TransferDetailApi(CommandApiView):
    permission_classes = [IsAuthenticated, CanViewAccounts]
    throttle_scope = "reads"
    serializer_class = TransferOutput
    queryset = TransferRecord.objects.none()

    @extend_schema(
        parameters=read_your_writes.PARAMETERS,
        responses={
            200: TransferOutput,
            **TRANSFER_NOT_FOUND,
            **read_your_writes.BEHIND,
            **AUTH_ERRORS,
        },
        summary="One transfer",
    )
    def get(self, request: Request, transfer_id: str) -> Response:
        try:
            wanted = parse_account_id(transfer_id)
        except NotFound:
            raise NotFound(f"No transfer {transfer_id!r}.", "transfer_not_found") from None
        record = read_your_writes.read_at_least(
            request,
            lambda: TransferRecord.objects.filter(id=wanted).first(),
            lambda row: row.version,
        )
        if record is None:
            raise NotFound(f"No transfer {transfer_id!r}.", "transfer_not_found")
        return Response(TransferOutput(record).data)
