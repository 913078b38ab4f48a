"""How the read models are written out as JSON: accounts and statement lines."""

from collections.abc import Callable, Mapping
from datetime import datetime, tzinfo
from typing import Any, ClassVar

from django.conf import settings
from django.db.models.manager import BaseManager
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from ..models import Account

Converter = Callable[[Any], Any]


def iso_time(value: datetime, zone: tzinfo) -> str:
    """DRF's DateTimeField output (ISO 8601, UTC as "Z") of an aware time, in `zone`."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class AccountListOutput(serializers.ListSerializer):
    """A page of accounts; the current time zone is looked up once per page, not per row (a
    thread-local lookup, ~9 us each)."""

    child: "AccountOutput"  # Meta.list_serializer_class below

    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        zone = timezone.get_current_timezone()
        rows = data.all() if isinstance(data, BaseManager) else data
        return [self.child.row(item, zone) for item in rows]


# DRF's ModelSerializer fields, used without their cost. (A comment, not the docstring: the
# docstring is the schema's description of AccountOutput, which the generated client repeats.)
# ModelSerializer works its fields out from the model on every instance, and each instance
# deep-copies them: most of what serializing one account cost (0.4 of a GET's own work).
# The fields never change and only convert a value, so they are worked out and bound once
# per class, and to_representation calls them directly, as DRF's own does. Times skip DRF's
# lookup of the current time zone per value (a third of a list page's serializing): it is
# looked up once per account (once per page in a list). A row may be a model instance or a
# dict of its FIELDS.
class AccountOutput(serializers.ModelSerializer):
    """One account as the read model holds it (eventually consistent: see `min_version`)."""

    _converters: ClassVar[tuple[tuple[str, Converter, bool], ...] | None] = None

    class Meta:
        model = Account
        fields = Account.FIELDS
        read_only_fields = fields
        list_serializer_class = AccountListOutput

    @classmethod
    def converters(cls) -> tuple[tuple[str, Converter, bool], ...]:
        """(name, DRF's conversion, whether iso_time does the same) for each field."""
        # Looked up in the class itself: a subclass has fields of its own.
        found = cls.__dict__.get("_converters")
        if found is None:
            bound = cls().fields  # a template instance, kept alive by its fields' parent link
            found = tuple(
                (name, field.to_representation, is_iso_time(field)) for name, field in bound.items()
            )
            cls._converters = found
        return found

    def to_representation(self, instance: Account | Mapping[str, Any]) -> dict[str, Any]:
        return self.row(instance, timezone.get_current_timezone())

    def row(self, instance: Account | Mapping[str, Any], zone: tzinfo) -> dict[str, Any]:
        # DRF's to_representation minus what these fields never need: every one is a plain
        # attribute of the row, and None stays None.
        row = instance if isinstance(instance, Mapping) else instance.__dict__
        out: dict[str, Any] = {}
        for name, convert, time in self.converters():
            value = row[name] if name in row else getattr(instance, name)
            if value is None:
                out[name] = None
            elif time and timezone.is_aware(value):
                out[name] = iso_time(value, zone)
            else:
                out[name] = convert(value)
        return out


def is_iso_time(field: serializers.Field) -> bool:
    """A DateTimeField that writes ISO 8601 in the current time zone (DRF's default)."""
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    return (
        isinstance(field, serializers.DateTimeField)
        and isinstance(output_format, str)
        and output_format.lower() == ISO_8601
        and not hasattr(field, "timezone")
        and settings.USE_TZ
    )
