"""The command API: one view per command; each validates, dispatches, answers."""

from typing import Any
from uuid import UUID

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from apps.eventstore.wiring import event_store
from techbank.api.schema import AUTH_ERRORS, error

from ..application.handlers import CommandResult
from ..bootstrap import command_dispatcher
from ..domain.commands import CloseAccount, Command, DepositFunds, OpenAccount, WithdrawFunds
from ..domain.errors import DomainError
from .errors import to_api_error
from .permissions import CanExecuteCommands, CanViewEvents
from .serializers import (
    AmountInput,
    CommandOutput,
    EventHistoryOutput,
    EventHistoryQuery,
    ExpectedVersionInput,
    OpenAccountInput,
)

ERRORS = {
    400: error("Invalid input (invalid_input, parse_error, invalid_amount, ...)"),
    **AUTH_ERRORS,
}
ACCOUNT_ERRORS = {
    **ERRORS,
    404: error("Unknown or malformed account id (account_not_found)"),
    409: error("Stale expected_version (version_conflict) or too much contention"),
    422: error(
        "Refused by a business rule: insufficient_funds, account_closed, balance_not_zero, "
        "balance_limit_exceeded"
    ),
}


def parse_account_id(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound(f"No account with id {raw!r}.", code="account_not_found") from None


class CommandView(GenericAPIView):
    permission_classes = [IsAuthenticated, CanExecuteCommands]
    throttle_scope = "commands"

    def handle_exception(self, exc: Exception) -> Response:
        return super().handle_exception(to_api_error(exc) if isinstance(exc, DomainError) else exc)

    def valid_input(self, request: Request) -> dict[str, Any]:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def run(self, command: Command, code: int = status.HTTP_200_OK) -> Response:
        result: CommandResult = command_dispatcher().dispatch(command)
        return Response({"id": str(result.account_id), "version": result.version}, status=code)


class OpenAccountApi(CommandView):
    serializer_class = OpenAccountInput

    @extend_schema(
        request=OpenAccountInput,
        responses={201: CommandOutput, **ERRORS},
        summary="Open an account",
    )
    def post(self, request: Request) -> Response:
        data = self.valid_input(request)
        response = self.run(
            OpenAccount(data["holder"], data["account_type"], data["opening_balance"]),
            status.HTTP_201_CREATED,
        )
        response["Location"] = request.build_absolute_uri(
            settings.ACCOUNT_QUERY_PATH.format(id=response.data["id"])
        )
        return response


class DepositFundsApi(CommandView):
    serializer_class = AmountInput

    @extend_schema(
        request=AmountInput,
        responses={200: CommandOutput, **ACCOUNT_ERRORS},
        summary="Deposit funds",
    )
    def post(self, request: Request, account_id: str) -> Response:
        account = parse_account_id(account_id)
        data = self.valid_input(request)
        return self.run(DepositFunds(account, data["amount"], data.get("expected_version")))


class WithdrawFundsApi(CommandView):
    serializer_class = AmountInput

    @extend_schema(
        request=AmountInput,
        responses={200: CommandOutput, **ACCOUNT_ERRORS},
        summary="Withdraw funds",
    )
    def post(self, request: Request, account_id: str) -> Response:
        account = parse_account_id(account_id)
        data = self.valid_input(request)
        return self.run(WithdrawFunds(account, data["amount"], data.get("expected_version")))


class CloseAccountApi(CommandView):
    serializer_class = ExpectedVersionInput

    @extend_schema(
        request=ExpectedVersionInput,
        responses={200: CommandOutput, **ACCOUNT_ERRORS},
        summary="Close an account (its balance must be zero)",
    )
    def post(self, request: Request, account_id: str) -> Response:
        account = parse_account_id(account_id)
        data = self.valid_input(request)
        return self.run(CloseAccount(account, data.get("expected_version")))


class AccountEventsApi(GenericAPIView):
    """The account's history as stored: the audit log, in version order."""

    permission_classes = [IsAuthenticated, CanViewEvents]
    throttle_scope = "reads"
    serializer_class = EventHistoryOutput

    @extend_schema(
        parameters=[
            OpenApiParameter("after", int, description="Only events after this version"),
            OpenApiParameter("limit", int, description="At most this many events (1-1000)"),
        ],
        responses={
            200: EventHistoryOutput,
            **{k: ACCOUNT_ERRORS[k] for k in (400, 401, 403, 404, 429)},
        },
        summary="An account's event history",
    )
    def get(self, request: Request, account_id: str) -> Response:
        account = parse_account_id(account_id)
        query = EventHistoryQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        after, limit = query.validated_data["after"], query.validated_data["limit"]
        store = event_store()
        events = store.read_stream(str(account), after_version=after, limit=limit + 1)
        # An empty page may still be a real account read past its end; only then ask again.
        if not events and (after == 0 or store.get(str(account), 1) is None):
            raise NotFound(f"No account with id {account}.", code="account_not_found")
        more = len(events) > limit
        events = events[:limit]
        next_url = None
        if more:
            next_url = request.build_absolute_uri(
                f"{request.path}?after={events[-1].version}&limit={limit}"
            )
        return Response(
            {
                "id": str(account),
                "events": [
                    {
                        "event_id": e.event_id,
                        "event_type": e.event_type,
                        "version": e.version,
                        "schema_version": e.schema_version,
                        "timestamp": e.timestamp.isoformat(timespec="milliseconds"),
                        "data": e.data,
                    }
                    for e in events
                ],
                "next": next_url,
            }
        )
