"""Query parameters declared by a django-filter FilterSet, which only parses and documents them.

The FilterSet's filters never touch a queryset: its form validates a request's parameters (a bad
value is a 400 with the form's messages, an absent or empty one is left out), and its filters
describe them in the OpenAPI schema. The view turns the clean values into a query; the selector
the dispatcher picks does the filtering.
"""

from typing import Any

import django_filters
from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

# What the schema calls each kind of filter's value, as drf-spectacular's django-filter
# extension does (a NumberFilter is a JSON number, a ChoiceFilter a string of its choices); a
# subclass is called as its kind is. A filter of another kind fails at import: say here how the
# schema should call it.
SCHEMA_TYPES: dict[type[django_filters.Filter], OpenApiTypes] = {
    django_filters.CharFilter: OpenApiTypes.STR,
    django_filters.ChoiceFilter: OpenApiTypes.STR,
    django_filters.NumberFilter: OpenApiTypes.NUMBER,
    django_filters.DateFilter: OpenApiTypes.DATE,
}


class QueryParameters:
    """The parameters a FilterSet declares: `parse` validates them, `documented` describes them."""

    def __init__(self, filterset: type[django_filters.FilterSet]) -> None:
        # The FilterSet's form class, built once (django-filter's get_form_class): a FilterSet
        # made per request deep-copies its filters and builds this class anew, 0.23 ms of CPU
        # more per list page (a sixth of the page's own work, in-process).
        self.form_class = filterset().get_form_class()
        self.documented = [
            documented(name, declared) for name, declared in filterset.base_filters.items()
        ]

    def parse(self, params: QueryDict) -> dict[str, Any]:
        """The clean value of each parameter given (none for absent or empty ones), or a 400."""
        form = self.form_class(params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        return {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}


def documented(name: str, declared: django_filters.Filter) -> OpenApiParameter:
    """The filter as an optional query parameter: its help text, and its choices listed."""
    choices = declared.extra.get("choices") or []
    listed = "\n".join(f"* `{value}` - {label}" for value, label in choices)
    description = "\n\n".join(text for text in (declared.extra.get("help_text"), listed) if text)
    return OpenApiParameter(
        name,
        next(SCHEMA_TYPES[kind] for kind in type(declared).__mro__ if kind in SCHEMA_TYPES),
        description=description,
        enum=[value for value, _ in choices] or None,
    )
