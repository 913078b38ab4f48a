"""The list's query parameters, parsed and validated by django-filter (a bad value is a 400).

They only parse: the parsed values become one FindAccounts query for the query dispatcher.
"""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from apps.contract.account_events import HOLDER_MAX_LENGTH, MONEY_MAX_DIGITS

from ..application.queries import FindAccounts
from ..models import Account
from . import dependencies

MONEY = {"max_digits": MONEY_MAX_DIGITS, "decimal_places": 2}


class AccountFilter(django_filters.FilterSet):
    holder = django_filters.CharFilter(
        max_length=HOLDER_MAX_LENGTH, help_text="Exact holder name (case-insensitive)"
    )
    balance_gt = django_filters.NumberFilter(
        help_text="Balance strictly greater than this", **MONEY
    )
    balance_lt = django_filters.NumberFilter(help_text="Balance strictly less than this", **MONEY)
    status = django_filters.ChoiceFilter(choices=Account.Status.choices)
    account_type = django_filters.ChoiceFilter(choices=Account.Type.choices)

    class Meta:
        model = Account
        fields = ["holder", "balance_gt", "balance_lt", "status", "account_type"]

    @classmethod
    def form_class(cls) -> type[forms.Form]:
        """The form that validates the parameters, built once per class.

        A FilterSet deep-copies its filters and builds a new form class from them on every
        request: two thirds of a list page's validation. And each form deep-copies its fields,
        so that a view may change them; validating never does, so every form shares them.
        """
        found = cls.__dict__.get("_form_class")
        if found is None:
            found = cls(queryset=Account.objects.none()).get_form_class()
            for field in found.base_fields.values():
                field.__deepcopy__ = lambda memo, same=field: same  # type: ignore[method-assign]
            cls._form_class = found
        return found


class AccountQueryBackend(DjangoFilterBackend):
    """Validates the parameters, then asks the query dispatcher for the accounts."""

    def filter_queryset(
        self, request: Request, queryset: QuerySet[Account], view: Any
    ) -> QuerySet[Account]:
        filterset_class = self.get_filterset_class(view, queryset)
        assert filterset_class is not None and issubclass(filterset_class, AccountFilter)
        form = filterset_class.form_class()(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        given = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        accounts = dependencies.dispatcher.get().dispatch(FindAccounts(**given))
        # Rows as dicts: the page only serializes them, and building a model instance per row
        # cost more than reading it.
        return accounts.values(*Account.FIELDS)
