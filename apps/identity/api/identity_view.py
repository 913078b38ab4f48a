"""What every identity route shares: its permissions (reads need view_useridentity and
users:read; commands manage_users and users:write), its throttle scope, and how it runs a
command with the requester as its actor."""

import logging
from typing import Any
from uuid import UUID

from rest_framework import status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from api_platform.permissions import CanManageUsers, CanViewUsers
from kernel import request_context

from ..domain import commands as cmd
from . import dependencies
from .answers import user_answer
from .errors import IdentityApiView, user_not_found

log = logging.getLogger(__name__)

# Secrets never enter the Idempotency-Key store (api_platform/idempotency.py).
PASSWORDS = ("password", "current_password")
ISSUED = ("token", "client_secret")


def parse_user_id(raw: str) -> UUID:
    """A malformed id is an unknown user, answered the same way."""
    try:
        return UUID(raw)
    except ValueError:
        raise user_not_found(raw) from None


def actor_id_of(request: Request) -> UUID | None:
    """Who issues the command: the requester's identity (None: a Django user with none, such as
    a superuser made by createsuperuser; the aggregate then knows no `self` to protect)."""
    identity = getattr(request.user, "identity", None)
    return identity.id if identity is not None else None


class IdentityView(IdentityApiView):
    """Reads need view_useridentity (users:read); commands manage_users (users:write)."""

    throttle_scope = "users"
    read_permission: type[BasePermission] = CanViewUsers
    write_permission: type[BasePermission] = CanManageUsers

    def get_permissions(self) -> list[BasePermission]:
        needed = self.read_permission if self.request.method == "GET" else self.write_permission
        return [IsAuthenticated(), needed()]

    def valid_input(self, serializer_class: type[Serializer]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def run(self, command: cmd.UserCommand) -> Any:
        name = type(command).__name__
        # Each command its own cause (a PATCH may run two): its events name it.
        with request_context.bound(command=name, causation_id=request_context.new_causation_id()):
            result = dependencies.commands.get().dispatch(command)
        log.info(
            "command handled",
            extra={"command": name, "user_id": str(result.user_id), "version": result.version},
        )
        return result

    def answer(self, result: Any, code: int = status.HTTP_200_OK) -> Response:
        return Response(user_answer(result.user_id, result.version), status=code)
