"""Request bodies name only fields the endpoint knows.

DRF drops unknown fields silently, so a misspelt "expected_versoin": 3 would quietly turn
optimistic concurrency off. Every command body is a StrictInput: an unknown field is a 400.
"""

from collections.abc import Mapping
from typing import Any

from django.http import QueryDict
from rest_framework import serializers

# The browsable API's HTML forms post Django's CSRF token along with the fields.
FORM_ONLY_FIELDS = frozenset({"csrfmiddlewaretoken"})


class StrictInput(serializers.Serializer):
    def to_internal_value(self, data: Any) -> Any:
        # The known fields' errors come first (and alone), as they always have; a body whose
        # known fields are all valid is then refused for any field it should not have.
        value = super().to_internal_value(data)
        unknown = self.unknown_fields(data)
        if unknown:
            raise serializers.ValidationError(unknown)
        return value

    def unknown_fields(self, data: Any) -> dict[str, list[str]]:
        if not isinstance(data, Mapping):
            return {}
        known = set(self.fields) | (FORM_ONLY_FIELDS if isinstance(data, QueryDict) else set())
        return {str(name): ["Unknown field."] for name in data if name not in known}
