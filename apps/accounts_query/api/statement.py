"""GET /api/v1/accounts/{id}/transactions/: an account's statement, newest first.

Cursor-paginated by version (a line added while a client pages never shifts the pages), and
filtered by `from`/`to` (ISO dates, whole days in UTC, inclusive) parsed by django-filter; the
parsed values become one FindTransactions query for the query dispatcher.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request

from api_platform.ids import parse_account_id
from api_platform.permissions import CanViewAccounts
from api_platform.schema import AUTH_ERRORS, error

from ..application.queries import FindTransactions
from ..models import StatementLine
from . import dependencies
from .page_size import MAX_PAGE_SIZE, StrictPageSize

ISO_DATE = ["%Y-%m-%d"]


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


# `from` is a Python keyword, so the filter set is built from a dict of its filters.
StatementFilter = type(
    "StatementFilter",
    (django_filters.FilterSet,),
    {
        "from": django_filters.DateFilter(
            field_name="timestamp",
            input_formats=ISO_DATE,
            help_text="Movements on or after this day (YYYY-MM-DD, UTC)",
        ),
        "to": django_filters.DateFilter(
            field_name="timestamp",
            input_formats=ISO_DATE,
            help_text="Movements on or before this day (YYYY-MM-DD, UTC)",
        ),
        "Meta": type("Meta", (), {"model": StatementLine, "fields": ["from", "to"]}),
        "__module__": __name__,
        "__doc__": "The statement's query parameters.",
    },
)


class StatementQueryBackend(DjangoFilterBackend):
    """Validates the parameters, then asks the query dispatcher for the account's lines."""

    def filter_queryset(
        self, request: Request, queryset: QuerySet[StatementLine], view: Any
    ) -> QuerySet[StatementLine]:
        account_id = parse_account_id(view.kwargs["account_id"])
        filterset = self.get_filterset(request, queryset, view)
        assert filterset is not None
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        given = filterset.form.cleaned_data
        first, last = given.get("from"), given.get("to")
        if first is not None and last is not None and last < first:
            raise ValidationError({"to": ["Must not be before from."]})
        query = FindTransactions(account_id, from_date=first, to_date=last)
        lines = dependencies.dispatcher.get().dispatch(query)
        if lines is None:
            raise NotFound(f"No account with id {account_id}.", code="account_not_found")
        return lines


class StatementPagination(StrictPageSize, CursorPagination):
    ordering = "-version"  # newest first; unique per account, so the cursor is exact
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class StatementApi(ListAPIView):
    """Every money movement of one account, newest first."""

    permission_classes = [IsAuthenticated, CanViewAccounts]
    serializer_class = StatementEntryOutput
    pagination_class = StatementPagination
    filter_backends = [StatementQueryBackend]
    filterset_class = StatementFilter

    def get_queryset(self) -> QuerySet[StatementLine]:
        return StatementLine.objects.none()  # the filter backend asks the dispatcher instead

    @extend_schema(
        summary="An account's statement",
        description="Opening balance, deposits, withdrawals and transfers, newest first; "
        "cursor-paginated (`next`, `previous`, `results`), 20 per page, `page_size` up to "
        "100. Eventually consistent, like the account.",
        responses={
            200: StatementEntryOutput(many=True),
            400: error("Invalid from, to or page_size (invalid_input)"),
            404: error("Unknown or malformed account id (account_not_found), bad cursor"),
            **AUTH_ERRORS,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)
