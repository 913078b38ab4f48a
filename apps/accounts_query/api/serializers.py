from rest_framework import serializers

from ..models import Account


class AccountOutput(serializers.ModelSerializer):
    class Meta:
        model = Account
        fields = [
            "id",
            "holder",
            "account_type",
            "balance",
            "status",
            "opened_at",
            "closed_at",
            "version",
            "updated_at",
        ]
        read_only_fields = fields
