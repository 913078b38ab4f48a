"""What the identity routes answer: a user, an API client with its secrets (once), an item of
an audit trail."""

from typing import Any

from rest_framework import serializers

from api_platform.event_history import EventMetadataOutput, StoredTimestampField
from apps.contract.user_events import Kind, Status

from .serializers import ROLE_CHOICES


class UserOutput(serializers.Serializer):
    """A user or API client: a projected row (UserIdentity) or the aggregate as of a version."""

    id = serializers.UUIDField()
    username = serializers.CharField()
    kind = serializers.ChoiceField(choices=[k.value for k in Kind])
    roles = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=[s.value for s in Status])
    version = serializers.IntegerField(help_text="The user's stream's version shown.")
    display_name = serializers.CharField()

    def get_roles(self, user: Any) -> list[str]:
        roles = user.roles
        # A row keeps them as "a,b" (sorted); the aggregate as a tuple.
        return [r for r in roles.split(",") if r] if isinstance(roles, str) else list(roles)


# drf-spectacular reads a SerializerMethodField's type from its method's annotation; say it.
UserOutput.get_roles.__annotations__["return"] = list[str]


class ApiClientOutput(serializers.Serializer):
    """An API client's credentials: shown in this answer only (stored as digests and hashes)."""

    id = serializers.UUIDField()
    name = serializers.CharField()
    kind = serializers.CharField(default=Kind.API_CLIENT.value)
    role = serializers.ChoiceField(choices=ROLE_CHOICES)
    token = serializers.CharField(
        allow_null=True,
        help_text="An API token (Authorization: Token ...); null in a replayed answer.",
    )
    client_id = serializers.CharField(
        allow_null=True,
        help_text="The OAuth2 client-credentials client id (not a secret); null only in a "
        "recovered answer of a client whose application is gone.",
    )
    client_secret = serializers.CharField(
        allow_null=True, help_text="The OAuth2 client secret; null in a replayed answer."
    )


class TrailItemOutput(serializers.Serializer):
    """One event of the user's audit trail: done to it (its own stream), by it (its actor is
    the user), or both (a person's own password)."""

    event_id = serializers.UUIDField()
    event_type = serializers.CharField()
    aggregate_type = serializers.CharField(help_text="User, BankAccount or Transfer.")
    aggregate_id = serializers.CharField()
    version = serializers.IntegerField()
    timestamp = StoredTimestampField()
    done_to = serializers.BooleanField(help_text="The event is of this user's own stream.")
    done_by = serializers.BooleanField(help_text="This user caused it (its metadata's actor).")
    metadata = EventMetadataOutput()
