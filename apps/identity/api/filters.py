"""The user list's query parameters, parsed and validated by django-filter (a bad value is a
400 `invalid_input`): role, status, kind, and a username prefix (case-insensitive, as names
are compared)."""

import django_filters
from django.db.models import Q, QuerySet

from apps.contract.user_events import USERNAME_MAX_LENGTH, Role

from ..models import UserIdentity

Rows = QuerySet[UserIdentity]


def filter_role(rows: Rows, name: str, value: str) -> Rows:
    # The row keeps its roles as a sorted "a,b" list; a role name is never part of another's.
    return rows.filter(
        Q(roles=value)
        | Q(roles__startswith=f"{value},")
        | Q(roles__endswith=f",{value}")
        | Q(roles__contains=f",{value},")
    )


class UserFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(
        choices=[(r.value, r.value) for r in Role],
        method=filter_role,
        help_text="Users holding this role",
    )
    status = django_filters.ChoiceFilter(choices=UserIdentity.Status.choices)
    kind = django_filters.ChoiceFilter(choices=UserIdentity.Kind.choices)
    username = django_filters.CharFilter(
        lookup_expr="istartswith",
        max_length=USERNAME_MAX_LENGTH,
        help_text="Usernames starting with this (case-insensitive)",
    )

    class Meta:
        model = UserIdentity
        fields = ["role", "status", "kind", "username"]
