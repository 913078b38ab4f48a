"""What each event of a User's stream carries (aggregate type `User`): people and API clients.

A User's id is derived from its name (user_ids.py), so the event store's unique key on
(aggregate id, version) is also the one registration of a name. No event carries a
credential: passwords, token digests and client secrets live in the identity context's
credential store and are never facts to replay.
"""

import re
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from apps.contract.account_events import EventSchema, FieldKind

AGGREGATE_TYPE = "User"

USERNAME_MAX_LENGTH = 150  # Django's username column
DISPLAY_NAME_MAX_LENGTH = 150
# Django's username characters: letters, digits and @ . + - _ (no spaces, no control chars).
USERNAME_PATTERN = re.compile(r"[\w.@+-]{1,150}", re.ASCII)


class Kind(StrEnum):
    PERSON = "person"
    API_CLIENT = "api_client"


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    TELLER = "teller"
    AUDITOR = "auditor"


class Status(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REMOVED = "removed"


USER_REGISTERED = EventSchema(
    "UserRegistered",
    1,
    {
        "username": FieldKind.USERNAME,
        "display_name": FieldKind.DISPLAY_NAME,
        "roles": FieldKind.ROLES,
    },
)
API_CLIENT_REGISTERED = EventSchema(
    "ApiClientRegistered",
    1,
    {"username": FieldKind.USERNAME, "role": FieldKind.ROLE},
)
ROLES_CHANGED = EventSchema("RolesChanged", 1, {"roles": FieldKind.ROLES})
PROFILE_UPDATED = EventSchema("ProfileUpdated", 1, {"display_name": FieldKind.DISPLAY_NAME})
# The password itself went to the credential store; the event records only that it changed.
PASSWORD_CHANGED = EventSchema("PasswordChanged", 1, {})
USER_SUSPENDED = EventSchema("UserSuspended", 1, {})
USER_REINSTATED = EventSchema("UserReinstated", 1, {})
USER_REMOVED = EventSchema("UserRemoved", 1, {})
CLIENT_SECRET_ROTATED = EventSchema("ClientSecretRotated", 1, {})
API_CLIENT_REVOKED = EventSchema("ApiClientRevoked", 1, {})

EVENTS: dict[str, EventSchema] = {
    schema.name: schema
    for schema in (
        USER_REGISTERED,
        API_CLIENT_REGISTERED,
        ROLES_CHANGED,
        PROFILE_UPDATED,
        PASSWORD_CHANGED,
        USER_SUSPENDED,
        USER_REINSTATED,
        USER_REMOVED,
        CLIENT_SECRET_ROTATED,
        API_CLIENT_REVOKED,
    )
}

UPCASTERS: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {}
