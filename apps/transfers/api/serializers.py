"""Request and response shapes of the transfers API."""

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from api_platform.event_history import EventOutput
from api_platform.money import MoneyField
from api_platform.strict import StrictInput
from apps.contract.account_events import CENT, MAX_AMOUNT, MONEY_MAX_DIGITS

from ..models import TransferRecord


class TransferInput(StrictInput):
    # Text, not UUIDField: a malformed id is an unknown account (404), as in the URLs.
    from_account = serializers.CharField(help_text="The source account's id.")
    to_account = serializers.CharField(help_text="The target account's id.")
    amount = MoneyField(Decimal("0.01"), MAX_AMOUNT - CENT)


class TransferOutput(serializers.Serializer):
    """One transfer: the aggregate the request service returns (the 202's body) and a row of
    the read model (GET) read the same way, so both answers have one shape."""

    id = serializers.UUIDField()
    from_account = serializers.UUIDField()
    to_account = serializers.UUIDField()
    amount = serializers.DecimalField(
        max_digits=MONEY_MAX_DIGITS, decimal_places=2, coerce_to_string=True
    )
    status = serializers.ChoiceField(
        choices=TransferRecord.Status.choices, help_text="PENDING until the saga ends."
    )
    reason = serializers.SerializerMethodField(
        help_text="A FAILED transfer's domain code (e.g. insufficient_funds, timed_out)."
    )
    created_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    deadline = serializers.DateTimeField(
        allow_null=True,
        help_text="created_at + TRANSFER_TIMEOUT_SECONDS: not completed by then, it is "
        "compensated and ends FAILED (timed_out).",
    )
    version = serializers.IntegerField(help_text="The transfer stream's version shown.")

    def get_reason(self, transfer: Any) -> str | None:
        return transfer.reason or None


class TransferHistoryOutput(serializers.Serializer):
    id = serializers.UUIDField()
    events = EventOutput(
        many=True, help_text="Every event of the transfer's stream (at most six), in order."
    )
