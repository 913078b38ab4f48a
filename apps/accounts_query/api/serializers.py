from rest_framework import serializers

from ..models import Account


class AccountOutput(serializers.ModelSerializer):
    class Meta:
        model = Account
        fields = Account.FIELDS
        read_only_fields = fields
