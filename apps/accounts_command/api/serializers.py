"""Request and response shapes of the command API. The domain checks the rules again."""

from decimal import Decimal

from rest_framework import serializers

from api_platform.event_history import EventOutput
from api_platform.money import MoneyField
from api_platform.strict import StrictInput

from ..application.history import PAGE_DEFAULT, PAGE_MAX
from ..domain.money import MAX_AMOUNT
from ..domain.rules import HOLDER_MAX_LENGTH, AccountType

MAX_VERSION = 2**31 - 1


def money_field(minimum: str) -> MoneyField:
    return MoneyField(Decimal(minimum), MAX_AMOUNT - Decimal("0.01"))


class OpenAccountInput(StrictInput):
    holder = serializers.CharField(max_length=HOLDER_MAX_LENGTH, trim_whitespace=True)
    account_type = serializers.ChoiceField(choices=[t.value for t in AccountType])
    opening_balance = money_field("0.00")


class ExpectedVersionInput(StrictInput):
    expected_version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=MAX_VERSION,
        help_text="Refuse with 409 unless the account is at exactly this version.",
    )


class AmountInput(ExpectedVersionInput):
    amount = money_field("0.01")


class CommandOutput(serializers.Serializer):
    id = serializers.UUIDField(source="account_id")
    version = serializers.IntegerField(help_text="The account's version after this command.")


class EventHistoryOutput(serializers.Serializer):
    id = serializers.UUIDField(source="account_id")
    events = EventOutput(many=True)
    next = serializers.CharField(allow_null=True, help_text="URL of the next page, if any.")


class EventHistoryQuery(serializers.Serializer):
    after = serializers.IntegerField(required=False, default=0, min_value=0, max_value=MAX_VERSION)
    limit = serializers.IntegerField(
        required=False, default=PAGE_DEFAULT, min_value=1, max_value=PAGE_MAX
    )
