import copy
from typing import Any, ClassVar

from rest_framework import serializers

from ..models import Account


class AccountOutput(serializers.ModelSerializer):
    # ModelSerializer works its fields out from the model on every instance: about half of what
    # serializing one account costs. They never change, so they are worked out once per class.
    _fields_once: ClassVar[dict[str, Any] | None] = None

    class Meta:
        model = Account
        fields = Account.FIELDS
        read_only_fields = fields

    def get_fields(self) -> dict[str, Any]:
        cls = type(self)
        # Looked up in the class itself: a subclass has fields of its own.
        if cls.__dict__.get("_fields_once") is None:
            cls._fields_once = super().get_fields()
        # Fields are bound to their serializer: each instance gets fresh copies, as DRF's own
        # declared fields do.
        return copy.deepcopy(cls.__dict__["_fields_once"])
