"""The one way the API accepts an amount: plain ASCII digits, at most two places.

Decimal() reads far more than that: Arabic-Indic or fullwidth digits, "1_0.00", "+5", " 5",
"5.", "1e2"; no client writes money so, and each one accepted is a bug report waiting. A JSON
number must be written the same way: its text (kept by the parser) is checked, not its value.
"""

import re
from decimal import Decimal
from typing import Any

from django import forms
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .parsers import JsonNumber

AMOUNT_PATTERN = r"^[0-9]{1,10}(\.[0-9]{1,2})?$"
_AMOUNT = re.compile(r"[0-9]{1,10}(?:\.[0-9]{1,2})?", re.ASCII)
# Well-formed but out of range ("-5", "10.000", "12345678901"): DecimalField's own messages
# (minimum, places, digits) say more than "wrong format" does.
_SIGNED_DECIMAL = re.compile(r"-?[0-9]{1,30}(?:\.[0-9]{1,30})?", re.ASCII)
# A decimal query parameter (a balance to compare with): a sign, digits, a point, digits. One
# way to read each character, so no backtracking; the digit counts are the field's own check.
_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?", re.ASCII)


@extend_schema_field(
    {
        "type": "string",
        "pattern": AMOUNT_PATTERN,
        "example": "10.50",
        "description": "ASCII digits with at most two decimal places; a JSON number written "
        "the same way is accepted too.",
    }
)
class MoneyField(serializers.DecimalField):
    default_error_messages = {
        "format": 'Enter an amount as digits with at most two decimal places, such as "10.50".',
    }

    def __init__(self, minimum: Decimal, maximum: Decimal, **kwargs: Any) -> None:
        super().__init__(
            max_digits=12,
            decimal_places=2,
            min_value=minimum,
            max_value=maximum,
            coerce_to_string=True,
            **kwargs,
        )

    def to_internal_value(self, data: Any) -> Decimal:
        text = _text_of(data)
        if text is None:
            self.fail("invalid")
        if _AMOUNT.fullmatch(text):
            return super().to_internal_value(text)
        if _SIGNED_DECIMAL.fullmatch(text):
            super().to_internal_value(text)  # raises its more precise message if it can
        self.fail("format")


def _text_of(data: Any) -> str | None:
    """The amount as the client wrote it, or None for a value that is no amount at all."""
    if isinstance(data, JsonNumber):
        return data.text
    if isinstance(data, bool):
        return None
    if isinstance(data, (str, int, Decimal)):
        return str(data)
    return None


class PlainDecimalFormField(forms.DecimalField):
    """A form's (a query parameter's) decimal, written as plain ASCII digits.

    Django's DecimalField reads what Decimal() reads: "1E2", "1_0", fullwidth or Arabic-Indic
    digits. Those are refused ("Enter a number."), and so, before Decimal() sees it, is
    "1e999999999".
    """

    # django-stubs declares DecimalField's to_python only on its base, IntegerField (int).
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if not _PLAIN_DECIMAL.fullmatch(str(value).strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)
