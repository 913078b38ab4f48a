"""The query API's accounts: read-only views over the MySQL read model.

Every view of the read side works the same way: it parses the request's parameters into a
query (filters.py), dispatches it, and serializes what the query's selector answers, a page of
it for a list (application/selectors.py).
"""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api_platform import read_your_writes
from api_platform.ids import parse_account_id
from api_platform.permissions import CanViewAccounts
from api_platform.schema import AUTH_ERRORS, error

from ..application.queries import FindAccountById, FindAccounts
from ..models import Account
from . import dependencies
from .filters import ACCOUNT_PARAMETERS, account_filters
from .pagination import AccountPagination, PagedApi
from .serializers import AccountOutput


class AccountListApi(PagedApi):
    """All accounts, newest last, in cursor pages; filter by holder, balance range and status."""

    permission_classes = [IsAuthenticated, CanViewAccounts]
    throttle_scope = "reads"
    pagination_class = AccountPagination

    @extend_schema(
        summary="List accounts",
        parameters=ACCOUNT_PARAMETERS.documented,
        responses={
            200: AccountOutput(many=True),
            400: error("Invalid filter value, page_size or cursor (invalid_input)"),
            **AUTH_ERRORS,
        },
    )
    def get(self, request: Request) -> Response:
        return self.page(self.rows(account_filters(request.query_params)), AccountOutput)

    @staticmethod
    def rows(query: FindAccounts) -> QuerySet[Account, dict[str, Any]]:
        # Rows as dicts: the page only serializes them, and building a model instance per row
        # cost more than reading it.
        return dependencies.dispatcher.get().dispatch(query).values(*Account.FIELDS)


class AccountDetailApi(APIView):
    permission_classes = [IsAuthenticated, CanViewAccounts]
    throttle_scope = "reads"

    @extend_schema(
        summary="One account",
        parameters=read_your_writes.PARAMETERS,
        responses={
            200: AccountOutput,
            400: error("Invalid min_version or wait (invalid_input)"),
            404: error("Unknown or malformed account id (account_not_found)"),
            **AUTH_ERRORS,
            **read_your_writes.BEHIND,  # its 429 names too_many_waits as well as throttled
        },
    )
    def get(self, request: Request, account_id: str) -> Response:
        wanted = parse_account_id(account_id)
        account = read_your_writes.read_at_least(
            request, lambda: find_account(wanted), lambda row: row.version
        )
        if account is None:
            raise no_account(wanted)
        return Response(AccountOutput(account).data)


def find_account(wanted: UUID) -> Account | None:
    found: Account | None = dependencies.dispatcher.get().dispatch(FindAccountById(wanted))
    return found


def no_account(wanted: UUID) -> NotFound:
    return NotFound(f"No account with id {wanted}.", code="account_not_found")
