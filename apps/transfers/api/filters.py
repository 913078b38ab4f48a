"""The transfer list's query parameters, parsed and validated by django-filter (a bad value is a
400 `invalid_input`).

`from` and `to` take three kinds of value, told apart by their shape:
- a date, YYYY-MM-DD: whole days in UTC, both inclusive (as the statement takes them);
- an ISO 8601 date and time with a zone (Z or an offset): an instant, inclusive;
- an account id (UUID): the source (`from`) or the target (`to`) account, as `from_account`
  and `to_account` take it.
"""

import re
from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from ..models import TransferRecord

DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
# In a query string "+" means a space, so an unencoded "+01:00" offset arrives as " 01:00".
SPACED_OFFSET = re.compile(r" (\d\d:?\d\d)$")
# MySQL's DATETIME range: a moment outside it is refused, not compared as a string.
EARLIEST, LATEST = datetime(1000, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, tzinfo=UTC)
Bound = UUID | datetime | date
Rows = QuerySet[TransferRecord]


class BoundField(forms.Field):
    """A date, an aware date and time (in UTC), or an account id; see the module's doc."""

    default_error_messages = {
        "invalid": "Not a date (YYYY-MM-DD), an ISO 8601 date and time with a zone, or an "
        "account id.",
        "naive": "The time has no time zone; add Z or an offset such as +01:00.",
        "range": "Out of range: years 1000 to 9999.",
    }

    def to_python(self, value: Any) -> Bound | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        try:
            if DATE.fullmatch(text):
                return self._in_range(date.fromisoformat(text))
            if "T" not in text.upper():
                return UUID(text)
            moment = datetime.fromisoformat(SPACED_OFFSET.sub(r"+\1", text))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], "invalid") from None
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise forms.ValidationError(self.error_messages["naive"], "naive")
        try:
            return self._in_range(moment.astimezone(UTC))
        except OverflowError:  # an offset that takes year 1 or 9999 out of datetime's range
            raise forms.ValidationError(self.error_messages["range"], "range") from None

    def _in_range(self, value: date) -> date:
        if not EARLIEST <= lower(value) <= LATEST:
            raise forms.ValidationError(self.error_messages["range"], "range")
        return value


class BoundFilter(django_filters.Filter):
    field_class = BoundField


def start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def lower(value: datetime | date) -> datetime:
    return value if isinstance(value, datetime) else start_of(value)


def upper(value: datetime | date) -> datetime:
    # A day's last microsecond (the column keeps microseconds), not the next day's start:
    # 9999-12-31 has no next day.
    return value if isinstance(value, datetime) else datetime.combine(value, time.max, UTC)


def filter_account(rows: Rows, name: str, value: UUID) -> Rows:
    return rows.filter(Q(from_account=value) | Q(to_account=value))


def filter_from(rows: Rows, name: str, value: Bound) -> Rows:
    if isinstance(value, UUID):
        return rows.filter(from_account=value)
    return rows.filter(created_at__gte=lower(value))


def filter_to(rows: Rows, name: str, value: Bound) -> Rows:
    if isinstance(value, UUID):
        return rows.filter(to_account=value)
    return rows.filter(created_at__lte=upper(value))


class TransferFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("from"), cleaned.get("to")
        # Only two moments can be in the wrong order (a datetime is a date too).
        if isinstance(first, date) and isinstance(last, date) and upper(last) < lower(first):
            self.add_error("to", "Must not be before from.")
        return cleaned


# `from` is a Python keyword, so the filter set is built from a dict of its filters.
TransferFilter = type(
    "TransferFilter",
    (django_filters.FilterSet,),
    {
        "account": django_filters.UUIDFilter(
            method=filter_account, help_text="Transfers from or to this account"
        ),
        "status": django_filters.ChoiceFilter(choices=TransferRecord.Status.choices),
        "from_account": django_filters.UUIDFilter(help_text="Transfers from this account"),
        "to_account": django_filters.UUIDFilter(help_text="Transfers to this account"),
        "from": BoundFilter(
            method=filter_from,
            help_text="Requested on or after this day (YYYY-MM-DD, UTC) or instant (ISO 8601 "
            "with a zone); an account id: transfers from that account",
        ),
        "to": BoundFilter(
            method=filter_to,
            help_text="Requested on or before this day (YYYY-MM-DD, UTC) or instant (ISO 8601 "
            "with a zone); an account id: transfers to that account",
        ),
        "Meta": type(
            "Meta",
            (),
            {
                "model": TransferRecord,
                "fields": ["account", "status", "from_account", "to_account", "from", "to"],
                "form": TransferFilterForm,
            },
        ),
        "__module__": __name__,
        "__doc__": "The transfer list's query parameters.",
    },
)
