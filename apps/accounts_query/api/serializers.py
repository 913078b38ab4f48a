from collections.abc import Callable
from typing import Any, ClassVar

from rest_framework import serializers

from ..models import Account


class AccountOutput(serializers.ModelSerializer):
    """One account as the API shows it; DRF's ModelSerializer fields, used without their cost.

    ModelSerializer works its fields out from the model on every instance, and each instance
    deep-copies them: most of what serializing one account cost (0.4 of a GET's own work).
    The fields never change and only convert a value, so they are worked out and bound once
    per class, and to_representation calls them directly, as DRF's own does.
    """

    _converters: ClassVar[tuple[tuple[str, Callable[[Any], Any]], ...] | None] = None

    class Meta:
        model = Account
        fields = Account.FIELDS
        read_only_fields = fields

    @classmethod
    def converters(cls) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
        # Looked up in the class itself: a subclass has fields of its own.
        found = cls.__dict__.get("_converters")
        if found is None:
            bound = cls().fields  # a template instance, kept alive by its fields' parent link
            found = tuple((name, field.to_representation) for name, field in bound.items())
            cls._converters = found
        return found

    def to_representation(self, instance: Account) -> dict[str, Any]:
        # DRF's to_representation minus what these fields never need: every one is a plain
        # attribute of the row, and None stays None.
        return {
            name: None if (value := getattr(instance, name)) is None else convert(value)
            for name, convert in self.converters()
        }
