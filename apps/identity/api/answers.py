"""What a user command answers, and how a repeat of its Idempotency-Key whose first request died
after storing its event answers (api_platform/idempotency.py): the user as of the version the
command stored, so the answer shows this command's effect and no later one's.

Usually the projected row (the handler projects before it returns) is at exactly that version:
one SQL query. When another command moved the user on meanwhile, or the request is a recovered
one, the user is folded from its stream up to that version.
"""

from typing import Any
from uuid import UUID

from django.conf import settings
from oauth2_provider.models import get_application_model
from rest_framework import status

from api_platform.idempotency import Answer
from apps.contract.user_events import API_CLIENT_REGISTERED, USER_REGISTERED, Kind
from apps.eventstore.records import StoredEvent

from ..domain.user import User
from ..infrastructure.event_codec import from_stored
from ..models import UserIdentity
from . import dependencies
from .outputs import ApiClientOutput, UserOutput

REGISTRATIONS = {USER_REGISTERED.name, API_CLIENT_REGISTERED.name}


def user_at(user_id: UUID, version: int) -> Any:
    """The user right after `version`: its row when the row shows that version, else folded."""
    row = UserIdentity.objects.filter(id=user_id).first()
    if row is not None and row.version == version:
        return row
    stream = dependencies.streams.get().read_stream(str(user_id), 0, version)
    return User.rebuild(user_id, [from_stored(event) for event in stream])


def user_answer(user_id: UUID, version: int) -> dict[str, Any]:
    return UserOutput(user_at(user_id, version)).data


def location(user_id: UUID) -> str:
    return settings.USER_QUERY_PATH.format(id=user_id)


def recover_user_command(event: StoredEvent) -> Answer:
    """A registration answered 201 with the user's Location; any later command 200."""
    user_id = UUID(event.aggregate_id)
    body = user_answer(user_id, event.version)
    if event.event_type in REGISTRATIONS:
        return status.HTTP_201_CREATED, body, {"Location": location(user_id)}
    return status.HTTP_200_OK, body, {}


def client_answer(user_id: UUID, name: str, role: str, credentials: Any) -> dict[str, Any]:
    return ApiClientOutput(
        {
            "id": user_id,
            "name": name,
            "kind": Kind.API_CLIENT.value,
            "role": role,
            "token": getattr(credentials, "token", None),
            "client_id": getattr(credentials, "client_id", None),
            "client_secret": getattr(credentials, "client_secret", None),
        }
    ).data


def recover_client_command(event: StoredEvent) -> Answer:
    """A registration or rotation whose first answer was lost: the client without its token and
    secret, which were shown by that answer only (rotate again for new ones)."""
    user_id = UUID(event.aggregate_id)
    user = user_at(user_id, event.version)
    roles = UserOutput().get_roles(user)
    body = client_answer(user_id, user.username, roles[0] if roles else "", None)
    body["client_id"] = client_id_of(user_id)
    if event.event_type in REGISTRATIONS:
        return status.HTTP_201_CREATED, body, {"Location": location(user_id)}
    return status.HTTP_200_OK, body, {}


def client_id_of(user_id: UUID) -> str | None:
    """The client id of the client's OAuth2 application (not a secret), if it has one."""
    applications = get_application_model().objects.filter(user__identity__id=user_id)
    return applications.values_list("client_id", flat=True).first()
