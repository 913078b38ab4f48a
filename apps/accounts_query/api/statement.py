"""GET /api/v1/accounts/{id}/transactions/: an account's statement, newest first.

Cursor-paginated by version (pagination.py), and filtered by `from`/`to` (ISO dates, whole days
in UTC, inclusive), parsed into one FindTransactions query for the query dispatcher.
"""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from api_platform.ids import parse_account_id
from api_platform.permissions import CanViewAccounts
from api_platform.schema import AUTH_ERRORS, error

from ..models import StatementLine
from . import dependencies
from .filters import STATEMENT_PARAMETERS, statement_filters
from .pagination import PagedApi, StatementPagination


class StatementEntryOutput(serializers.ModelSerializer):
    # Not read-only, or the schema would call it required: it is there on transfers only.
    transfer_id = serializers.CharField(required=False, help_text="Only on transfer lines.")

    class Meta:
        model = StatementLine
        fields = ("version", "type", "amount", "balance_after", "timestamp", "transfer_id")
        read_only_fields = fields

    def to_representation(self, instance: StatementLine) -> dict[str, Any]:
        entry = super().to_representation(instance)
        if entry["transfer_id"] is None:
            del entry["transfer_id"]
        return entry


class StatementApi(PagedApi):
    """Every money movement of one account, newest first."""

    permission_classes = [IsAuthenticated, CanViewAccounts]
    throttle_scope = "statement"
    pagination_class = StatementPagination

    @extend_schema(
        summary="An account's statement",
        description="Opening balance, deposits, withdrawals and transfers, newest first; "
        "cursor-paginated (`next`, `previous`, `results`), 20 per page, `page_size` up to "
        "100. Eventually consistent, like the account.",
        parameters=STATEMENT_PARAMETERS.documented,
        responses={
            200: StatementEntryOutput(many=True),
            400: error("Invalid from, to, page_size or cursor (invalid_input)"),
            404: error("Unknown or malformed account id (account_not_found)"),
            **AUTH_ERRORS,
        },
    )
    def get(self, request: Request, account_id: str) -> Response:
        query = statement_filters(parse_account_id(account_id), request.query_params)
        lines = dependencies.dispatcher.get().dispatch(query)
        if lines is None:
            raise NotFound(f"No account with id {query.account_id}.", code="account_not_found")
        return self.page(lines, StatementEntryOutput)
