"""GET /api/v1/accounts/{id}/as-of/?version=N | ?at=<ISO 8601>: the account's state then."""

import re
from datetime import UTC, datetime
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from api_platform.event_history import StoredTimestampField
from api_platform.ids import parse_account_id
from api_platform.permissions import CanViewEvents
from api_platform.schema import AUTH_ERRORS, error

from ..application.as_of import AccountAsOf, GetAccountAsOf
from . import dependencies
from .serializers import MAX_VERSION
from .views import CommandApiView

# In a query string "+" means a space, so an unencoded "+01:00" offset arrives as " 01:00".
SPACED_OFFSET = re.compile(r" (\d\d:?\d\d)$")


class AwareDateTimeField(serializers.Field):
    """ISO 8601 with a time zone (`Z` or an offset); a local time without one is refused."""

    default_error_messages = {
        "invalid": "Not an ISO 8601 date and time, e.g. 2025-01-31T12:00:00Z.",
        "naive": "The time has no time zone; add Z or an offset such as +01:00.",
        "range": "Out of range: in UTC it must fall within years 1 to 9999.",
    }

    def to_internal_value(self, data: Any) -> datetime:
        try:
            value = datetime.fromisoformat(SPACED_OFFSET.sub(r"+\1", str(data).strip()))
        except ValueError:
            self.fail("invalid")
        if value.tzinfo is None or value.utcoffset() is None:
            self.fail("naive")
        try:
            return value.astimezone(UTC)
        except OverflowError:  # an offset that takes year 1 or 9999 out of datetime's range
            self.fail("range")

    def to_representation(self, value: datetime) -> str:
        return value.isoformat()


class AsOfQuery(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=0, max_value=MAX_VERSION, help_text="State right after it."
    )
    at = AwareDateTimeField(
        required=False, help_text="State after the last event at or before this instant."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("version" in attrs) == ("at" in attrs):
            raise serializers.ValidationError("Give exactly one of version and at.")
        return attrs


class AccountAsOfOutput(serializers.Serializer):
    id = serializers.UUIDField(source="account_id")
    holder = serializers.CharField()
    account_type = serializers.CharField()
    balance = serializers.DecimalField(max_digits=15, decimal_places=2, coerce_to_string=True)
    status = serializers.SerializerMethodField()
    version = serializers.IntegerField()
    as_of = StoredTimestampField(help_text="The timestamp of event `version`.")

    def get_status(self, state: AccountAsOf) -> str:
        return "CLOSED" if state.closed else "OPEN"


class AccountAsOfApi(CommandApiView):
    """The account's state as of a version or an instant, folded from its events."""

    permission_classes = [IsAuthenticated, CanViewEvents]
    throttle_scope = "as_of"
    serializer_class = AccountAsOfOutput

    @extend_schema(
        parameters=[
            OpenApiParameter("version", int, description="The state right after this version"),
            OpenApiParameter(
                "at",
                str,
                description="ISO 8601 with a time zone: the state after the last event at or "
                "before it (exactly one of version and at)",
            ),
        ],
        responses={
            200: AccountAsOfOutput,
            400: error("Neither or both of version and at, or a malformed one (invalid_input)"),
            **AUTH_ERRORS,
            404: error(
                "Unknown or malformed account id (account_not_found); a moment before the "
                "account was opened or a version past its last (state_not_found)"
            ),
        },
        summary="An account's state as of a version or an instant",
    )
    def get(self, request: Request, account_id: str) -> Response:
        account = parse_account_id(account_id)
        query = AsOfQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        state: AccountAsOf = dependencies.dispatcher.get().dispatch(
            GetAccountAsOf(
                account, query.validated_data.get("version"), query.validated_data.get("at")
            )
        )
        return Response(AccountAsOfOutput(state).data)
