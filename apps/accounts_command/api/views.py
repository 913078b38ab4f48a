"""The command API: one view per command; each validates, dispatches, answers."""

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from api_platform.errors import exception_handler
from api_platform.idempotency import idempotent
from api_platform.ids import parse_account_id
from api_platform.permissions import CanExecuteCommands, CanViewEvents
from api_platform.schema import IDEMPOTENCY_KEY
from kernel import request_context

from ..application.handlers import CommandResult
from ..application.history import PAGE_DEFAULT, PAGE_MAX, AccountHistory, GetAccountHistory
from ..domain.commands import CloseAccount, Command, DepositFunds, OpenAccount, WithdrawFunds
from . import dependencies
from .errors import REFUSALS
from .recovery import recover_command
from .schema import ACCOUNT_ERRORS, ERRORS
from .serializers import (
    AmountInput,
    CommandOutput,
    EventHistoryOutput,
    EventHistoryQuery,
    ExpectedVersionInput,
    OpenAccountInput,
)

log = logging.getLogger(__name__)


class CommandApiView(GenericAPIView):
    """What every view of the command API shares: its refusals answered from one table."""

    def get_exception_handler(self) -> Callable[..., Response | None]:
        return partial(exception_handler, refusals=REFUSALS)


class CommandView(CommandApiView):
    permission_classes = [IsAuthenticated, CanExecuteCommands]
    throttle_scope = "commands"

    def valid_input(self, request: Request) -> dict[str, Any]:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def run(self, command: Command, code: int = status.HTTP_200_OK) -> Response:
        name = type(command).__name__
        # Every line written while the command runs names it (with the request id).
        with request_context.bound(command=name):
            result: CommandResult = dependencies.dispatcher.get().dispatch(command)
        log.info(
            "command handled",
            extra={
                "command": name,
                "account_id": str(result.account_id),
                "version": result.version,
            },
        )
        return Response(CommandOutput(result).data, status=code)


class OpenAccountApi(CommandView):
    """Opens an account with its opening balance; `Location` is the account's query URL."""

    serializer_class = OpenAccountInput

    @extend_schema(
        request=OpenAccountInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: CommandOutput, **ERRORS},
        summary="Open an account",
    )
    @idempotent(recover_command)
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
    """Adds the amount to an open account (an `expected_version` not current: 409)."""

    serializer_class = AmountInput

    @extend_schema(
        request=AmountInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: CommandOutput, **ACCOUNT_ERRORS},
        summary="Deposit funds",
    )
    @idempotent(recover_command)
    def post(self, request: Request, account_id: str) -> Response:
        account = parse_account_id(account_id)
        data = self.valid_input(request)
        return self.run(DepositFunds(account, data["amount"], data.get("expected_version")))


class WithdrawFundsApi(CommandView):
    """Takes the amount from an open account that holds it (else 422 insufficient_funds)."""

    serializer_class = AmountInput

    @extend_schema(
        request=AmountInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: CommandOutput, **ACCOUNT_ERRORS},
        summary="Withdraw funds",
    )
    @idempotent(recover_command)
    def post(self, request: Request, account_id: str) -> Response:
        account = parse_account_id(account_id)
        data = self.valid_input(request)
        return self.run(WithdrawFunds(account, data["amount"], data.get("expected_version")))


class CloseAccountApi(CommandView):
    """Closes an account whose balance is zero and that takes part in no transfer in flight."""

    serializer_class = ExpectedVersionInput

    @extend_schema(
        request=ExpectedVersionInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: CommandOutput, **ACCOUNT_ERRORS},
        summary="Close an account (its balance must be zero)",
    )
    @idempotent(recover_command)
    def post(self, request: Request, account_id: str) -> Response:
        account = parse_account_id(account_id)
        data = self.valid_input(request)
        return self.run(CloseAccount(account, data.get("expected_version")))


class AccountEventsApi(CommandApiView):
    """The account's history as stored: the audit log, in version order."""

    permission_classes = [IsAuthenticated, CanViewEvents]
    throttle_scope = "events"
    serializer_class = EventHistoryOutput

    @extend_schema(
        parameters=[
            OpenApiParameter("after", int, description="Only events after this version"),
            OpenApiParameter(
                "limit",
                int,
                description=f"At most this many events (1-{PAGE_MAX}, default {PAGE_DEFAULT})",
            ),
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
        history: AccountHistory = dependencies.dispatcher.get().dispatch(
            GetAccountHistory(account, after, limit)
        )
        next_url = None
        if history.more:
            next_url = request.build_absolute_uri(
                f"{request.path}?after={history.events[-1].version}&limit={limit}"
            )
        return Response(EventHistoryOutput({**vars(history), "next": next_url}).data)
