"""What every history endpoint answers for one stored event: the event as stored, and who
caused it (`metadata`). The accounts' and the transfers' audit logs share it."""

from datetime import datetime

from rest_framework import serializers

LEGACY = "null for events stored before actors were recorded"


class StoredTimestampField(serializers.DateTimeField):
    """ISO 8601 with milliseconds and the UTC offset: exactly what the store keeps."""

    def to_representation(self, value: datetime) -> str:
        return value.isoformat(timespec="milliseconds")


class EventMetadataOutput(serializers.Serializer):
    """Every key is always there; null where the event has none. The hashed idempotency key,
    also stored, is never shown."""

    actor = serializers.CharField(
        allow_null=True,
        help_text="Who caused it: the identity UUID of the user who issued the command, "
        f"`user:<id>` for a user with no identity, or `system:<process>`; {LEGACY}.",
    )
    correlation_id = serializers.CharField(
        allow_null=True,
        help_text="The id of the request that started it all (its X-Request-ID), carried "
        f"through a transfer's steps; {LEGACY}.",
    )
    causation_id = serializers.CharField(
        allow_null=True,
        help_text="What caused it: the command's id, or the event_id of the event it reacted "
        f"to (a transfer's steps name the transfer event); {LEGACY}.",
    )
    request_id = serializers.CharField(
        allow_null=True,
        help_text="The X-Request-ID of the request that stored it; null for an event stored "
        "by a process (the transfer saga) or before request ids were recorded.",
    )


class EventOutput(serializers.Serializer):
    event_id = serializers.UUIDField()
    event_type = serializers.CharField()
    version = serializers.IntegerField()
    schema_version = serializers.IntegerField()
    timestamp = StoredTimestampField()
    # A field named `data` (DRF keeps fields apart from its `data` property; the stubs do not).
    data = serializers.DictField()  # type: ignore[assignment]
    metadata = EventMetadataOutput()
