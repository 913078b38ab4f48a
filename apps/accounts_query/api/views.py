"""The query API: read-only views over the MySQL read models."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request

from techbank.api.ids import parse_account_id
from techbank.api.permissions import CanViewAccounts
from techbank.api.schema import AUTH_ERRORS, error

from ..application.queries import FindAccountById
from ..models import Account
from . import dependencies
from .filters import AccountFilter, AccountQueryBackend
from .page_size import MAX_PAGE_SIZE, StrictPageSize
from .serializers import AccountOutput


class AccountPagination(StrictPageSize, PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class AccountListApi(ListAPIView):
    """All accounts, newest last; filter by holder, balance range and status."""

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
            404: error("No such page (not_found)"),
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
        account = dependencies.dispatcher.get().dispatch(FindAccountById(account_id))
        if account is None:
            raise NotFound(f"No account with id {account_id}.", code="account_not_found")
        return account

    @extend_schema(
        summary="One account",
        responses={
            200: AccountOutput,
            404: error("Unknown or malformed account id (account_not_found)"),
            **AUTH_ERRORS,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)
