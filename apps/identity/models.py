"""The identity context's tables in MySQL.

UserIdentity is the projection of one User stream (projector.py): which Django user it is,
its kind, status and version; its roles are the Django user's groups and its status is also
the Django user's is_active. The projector upserts it, never deletes it, so the Django user's
primary key (which API tokens and OAuth2 applications point at) survives any replay.

Credential is the credential store of passwords: an Argon2 hash per user, written by the
commands directly and never by a projector, never in an event. API tokens (knox digests) and
OAuth2 client secrets and tokens (django-oauth-toolkit) are the rest of the credential store.
"""

from django.conf import settings
from django.db import models


class UserIdentity(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        API_CLIENT = "api_client", "API client"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        REMOVED = "removed", "Removed"

    # The User aggregate's id (domain/user_ids.py).
    id = models.UUIDField(primary_key=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="identity"
    )
    username = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    display_name = models.CharField(max_length=150, blank=True, default="")
    # The roles as a comma-separated sorted list, for the list's role filter in one query;
    # the groups of `user` are what permissions read.
    roles = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices)
    # The User stream's version this row shows (the projector's guard: it never moves back).
    version = models.PositiveIntegerField()
    registered_at = models.DateTimeField()
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["username"]
        default_permissions = ("view",)
        permissions = [("manage_users", "Can register and change users and API clients")]

    def __str__(self) -> str:
        return f"{self.username} ({self.kind}, {self.status})"


class Credential(models.Model):
    """A person's password hash (Argon2, Django's PASSWORD_HASHERS), keyed by the User's id.
    Written after the registration's event is stored (a registration that lost the race for
    its name never overwrites the winner's hash; application/handlers.py says what a crash in
    between leaves); no foreign key, so a replay that rebuilds the Django rows never touches it."""

    user_id = models.UUIDField(primary_key=True)
    password_hash = models.CharField(max_length=256)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"credential of {self.user_id}"


class ActorAction(models.Model):
    """The actors' trail: one row per stored event of every aggregate (accounts, transfers,
    users), with who caused it, kept by `project_users` from the three topics and rebuilt by
    `replay_events`. "What was done to user U and by U" is one query:
    `aggregate_id = U OR actor = U`, by timestamp."""

    event_id = models.UUIDField(primary_key=True)
    # The metadata's actor: a user id, `user:<pk>`, `system:<process>`; "" before issue 19.
    actor = models.CharField(max_length=200, blank=True, default="")
    aggregate_type = models.CharField(max_length=32)
    aggregate_id = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    event_type = models.CharField(max_length=64)
    timestamp = models.DateTimeField()
    # The event's metadata as stored (actor, correlation_id, causation_id, request_id).
    metadata = models.JSONField(default=dict)

    class Meta:
        default_permissions = ()
        indexes = [
            models.Index(fields=["actor", "timestamp"], name="identity_trail_actor"),
            models.Index(fields=["aggregate_id", "timestamp"], name="identity_trail_aggregate"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} v{self.version} of {self.aggregate_id} by {self.actor or '?'}"
