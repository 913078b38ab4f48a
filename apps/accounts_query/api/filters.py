"""The query parameters of the account list and of the statement, parsed into their queries.

django-filter declares and validates them (parameters.py); a bad value is a 400 invalid_input.
"""

from uuid import UUID

import django_filters
from django.http import QueryDict
from rest_framework.exceptions import ValidationError

from api_platform.money import PlainDecimalFormField
from apps.contract.account_events import HOLDER_MAX_LENGTH, MONEY_MAX_DIGITS

from ..application.queries import FindAccounts, FindTransactions
from ..models import Account, StatementLine
from .parameters import QueryParameters

MONEY = {"max_digits": MONEY_MAX_DIGITS, "decimal_places": 2}
ISO_DATE = ["%Y-%m-%d"]


class BalanceFilter(django_filters.NumberFilter):
    """A balance to compare with: plain digits, at most two places ("1E2" is a 400)."""

    field_class = PlainDecimalFormField


class AccountFilter(django_filters.FilterSet):
    holder = django_filters.CharFilter(
        max_length=HOLDER_MAX_LENGTH, help_text="Exact holder name (case-insensitive)"
    )
    balance_gt = BalanceFilter(
        help_text="Balance strictly greater than this (plain digits, e.g. 10.50)", **MONEY
    )
    balance_lt = BalanceFilter(
        help_text="Balance strictly less than this (plain digits, e.g. 10.50)", **MONEY
    )
    status = django_filters.ChoiceFilter(choices=Account.Status.choices)
    account_type = django_filters.ChoiceFilter(choices=Account.Type.choices)

    class Meta:
        model = Account
        fields = ["holder", "balance_gt", "balance_lt", "status", "account_type"]


# `from` is a Python keyword, so the filter set is built from a dict of its filters.
StatementFilter = type(
    "StatementFilter",
    (django_filters.FilterSet,),
    {
        "from": django_filters.DateFilter(
            input_formats=ISO_DATE, help_text="Movements on or after this day (YYYY-MM-DD, UTC)"
        ),
        "to": django_filters.DateFilter(
            input_formats=ISO_DATE, help_text="Movements on or before this day (YYYY-MM-DD, UTC)"
        ),
        "Meta": type("Meta", (), {"model": StatementLine, "fields": ["from", "to"]}),
        "__module__": __name__,
        "__doc__": "The statement's query parameters.",
    },
)

ACCOUNT_PARAMETERS = QueryParameters(AccountFilter)
STATEMENT_PARAMETERS = QueryParameters(StatementFilter)


def account_filters(params: QueryDict) -> FindAccounts:
    """The account list's query: the filters given, all of which must hold."""
    return FindAccounts(**ACCOUNT_PARAMETERS.parse(params))


def statement_filters(account_id: UUID, params: QueryDict) -> FindTransactions:
    """The statement's query: the account's lines from `from` to `to`, both days included."""
    given = STATEMENT_PARAMETERS.parse(params)
    first, last = given.get("from"), given.get("to")
    if first is not None and last is not None and last < first:
        raise ValidationError({"to": ["Must not be before from."]})
    return FindTransactions(account_id, from_date=first, to_date=last)
