"""List filters: validated by django-filter (a bad value is a 400), answered by the queries."""

from decimal import Decimal

import django_filters
from django.db.models import QuerySet

from ..models import Account
from ..queries import FindAccountsByHolder, FindAccountsWithBalance, query_dispatcher

MONEY = {"max_digits": 15, "decimal_places": 2}


class AccountFilter(django_filters.FilterSet):
    holder = django_filters.CharFilter(
        method="by_holder", max_length=100, help_text="Exact holder name (case-insensitive)"
    )
    balance_gt = django_filters.NumberFilter(
        method="by_balance", help_text="Balance strictly greater than this", **MONEY
    )
    balance_lt = django_filters.NumberFilter(
        method="by_balance", help_text="Balance strictly less than this", **MONEY
    )
    status = django_filters.ChoiceFilter(choices=Account.Status.choices)
    account_type = django_filters.ChoiceFilter(choices=Account.Type.choices)

    class Meta:
        model = Account
        fields = ["holder", "balance_gt", "balance_lt", "status", "account_type"]

    def by_holder(self, accounts: QuerySet[Account], name: str, value: str) -> QuerySet[Account]:
        return accounts & query_dispatcher().dispatch(FindAccountsByHolder(value))

    def by_balance(
        self, accounts: QuerySet[Account], name: str, value: Decimal
    ) -> QuerySet[Account]:
        query = (
            FindAccountsWithBalance(greater_than=value)
            if name == "balance_gt"
            else FindAccountsWithBalance(less_than=value)
        )
        return accounts & query_dispatcher().dispatch(query)
