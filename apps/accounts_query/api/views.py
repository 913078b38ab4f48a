"""The query API: read-only views over the MySQL read models."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request

from api_platform import read_your_writes
from api_platform.ids import parse_account_id
from api_platform.permissions import CanViewAccounts
from api_platform.schema import AUTH_ERRORS, error

from ..application.queries import FindAccountById
from ..models import Account
from . import dependencies
from .filters import AccountFilter, AccountQueryBackend
from .pagination import AccountPagination
from .serializers import AccountOutput


class AccountListApi(ListAPIView):
    """All accounts, newest last, in cursor pages; filter by holder, balance range and status."""

    permission_classes = [IsAuthenticated, CanViewAccounts]
    throttle_scope = "reads"
    serializer_class = AccountOutput
    pagination_class = AccountPagination
    filter_backends = [AccountQueryBackend]
    filterset_class = AccountFilter

    def get_queryset(self) -> QuerySet[Account]:
        return Account.objects.none()  # the filter backend asks the dispatcher instead

    @extend_schema(
        summary="List accounts",
        responses={
            200: AccountOutput(many=True),
            400: error("Invalid filter value or page_size (invalid_input)"),
            404: error("A cursor that is not one of ours (not_found)"),
            **AUTH_ERRORS,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)


class AccountDetailApi(RetrieveAPIView):
    permission_classes = [IsAuthenticated, CanViewAccounts]
    throttle_scope = "reads"
    serializer_class = AccountOutput
    queryset = Account.objects.none()  # for the schema; get_object asks the dispatcher

    def get_object(self) -> Account:
        account_id = parse_account_id(self.kwargs["account_id"])
        account = read_your_writes.read_at_least(
            self.request,
            lambda: dependencies.dispatcher.get().dispatch(FindAccountById(account_id)),
            lambda row: row.version,
        )
        if account is None:
            raise NotFound(f"No account with id {account_id}.", code="account_not_found")
        return account

    @extend_schema(
        summary="One account",
        parameters=read_your_writes.PARAMETERS,
        responses={
            200: AccountOutput,
            **read_your_writes.BEHIND,
            404: error("Unknown or malformed account id (account_not_found)"),
            **AUTH_ERRORS,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)
