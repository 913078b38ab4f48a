"""Request and response shapes of the transfers API."""

from rest_framework import serializers

from apps.accounts_command.api.serializers import money_field
from techbank.api.strict import StrictInput

from ..models import TransferRecord


class TransferInput(StrictInput):
    # Text, not UUIDField: a malformed id is an unknown account (404), as in the URLs.
    from_account = serializers.CharField(max_length=64)
    to_account = serializers.CharField(max_length=64)
    amount = money_field("0.01")


class TransferOutput(serializers.ModelSerializer):
    reason = serializers.SerializerMethodField()

    class Meta:
        model = TransferRecord
        fields = (
            "id",
            "from_account",
            "to_account",
            "amount",
            "status",
            "reason",
            "created_at",
            "completed_at",
            "version",
        )
        read_only_fields = fields

    def get_reason(self, record: TransferRecord) -> str | None:
        return record.reason or None


class TransferListQuery(serializers.Serializer):
    account = serializers.UUIDField()
