"""The identity API: users and API clients as commands (one per route and method) and queries.

A command view validates its body, makes the command with the requester as its actor,
dispatches it and answers the user as of the version it stored (answers.py). Reads come from the
projection (UserIdentity), which the command handlers update before they return, so a read right
after a command sees it.

Administrators (manage_users; an OAuth2 token also needs users:write) run every command;
administrators and auditors (view_useridentity; users:read) read. The one self-service route is
a person's own password, which takes the current password as well.
"""

import logging
from typing import Any
from uuid import UUID

from django.contrib.auth import authenticate
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from api_platform.idempotency import idempotent
from api_platform.permissions import CanManageUsers, CanViewUsers, IsSelfOrCanManageUsers
from api_platform.schema import IDEMPOTENCY_KEY
from kernel import request_context

from ..domain import commands as cmd
from ..models import UserIdentity
from . import dependencies
from .answers import (
    client_answer,
    location,
    recover_client_command,
    recover_user_command,
    user_answer,
)
from .errors import IdentityApiView, WrongPassword, user_not_found
from .filters import UserFilter
from .pagination import UserPagination
from .schema import FORBIDDEN, LIST_ERRORS, ON_A_USER, READ_ERRORS, REGISTER_ERRORS
from .serializers import (
    ApiClientOutput,
    ChangePasswordInput,
    ChangeUserInput,
    NoInput,
    RegisterApiClientInput,
    RegisterUserInput,
    UserOutput,
)

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


class UserListApi(IdentityView, ListAPIView):
    """GET: every user and API client in username order, in cursor pages. POST: register a
    person."""

    serializer_class = UserOutput
    pagination_class = UserPagination
    filterset_class = UserFilter

    def get_queryset(self) -> QuerySet[UserIdentity]:
        return UserIdentity.objects.all()

    def get_serializer_class(self) -> type[Serializer]:
        return RegisterUserInput if self.request.method == "POST" else UserOutput

    @extend_schema(
        summary="List users and API clients",
        description="In username order, cursor-paginated (`next`, `previous`, `results`), 20 "
        "per page, `page_size` 1-100. Filters combine (all must hold).",
        responses={200: UserOutput(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=RegisterUserInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: OpenApiResponse(UserOutput, description="Registered: active, version 1"),
            **REGISTER_ERRORS,
        },
        examples=[
            OpenApiExample(
                "A teller",
                request_only=True,
                value={
                    "username": "ada",
                    "password": "correct horse battery staple",
                    "roles": ["teller"],
                    "display_name": "Ada Lovelace",
                },
            ),
            OpenApiExample(
                "Registered",
                response_only=True,
                status_codes=["201"],
                value={
                    "id": "3f1c6a52-5a2b-5d3e-9a53-2a3f0e0c1d11",
                    "username": "ada",
                    "kind": "person",
                    "roles": ["teller"],
                    "status": "active",
                    "version": 1,
                    "display_name": "Ada Lovelace",
                },
            ),
        ],
        summary="Register a person",
        description="Its id is derived from its name; `Location` is its URL. The password "
        "goes to the credential store (Argon2), never into an event.",
    )
    @idempotent(recover_user_command, secret_inputs=PASSWORDS)
    def post(self, request: Request) -> Response:
        data = self.valid_input(RegisterUserInput)
        result = self.run(
            cmd.RegisterUser(
                actor_id=actor_id_of(request),
                username=data["username"],
                password=data["password"],
                roles=tuple(data["roles"]),
                display_name=data["display_name"],
            )
        )
        response = self.answer(result, status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(location(result.user_id))
        return response


class UserDetailApi(IdentityView):
    """GET: one user or API client. PATCH: its profile and/or roles. DELETE: remove it."""

    serializer_class = UserOutput
    queryset = UserIdentity.objects.none()  # for the schema's path parameter

    def get_serializer_class(self) -> type[Serializer]:
        # The browsable API's form for a PATCH; its DELETE needs none.
        return ChangeUserInput if self.request.method == "PATCH" else UserOutput

    @extend_schema(summary="One user or API client", responses={200: UserOutput, **READ_ERRORS})
    def get(self, request: Request, user_id: str) -> Response:
        wanted = parse_user_id(user_id)
        row = UserIdentity.objects.filter(id=wanted).first()
        if row is None:
            raise user_not_found(user_id)
        return Response(UserOutput(row).data)

    @extend_schema(
        request=ChangeUserInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: UserOutput, **ON_A_USER},
        summary="Change a user's roles and/or display name",
        description="`roles` (ChangeRoles; never your own: forbidden_self_change) and/or "
        "`display_name` (UpdateProfile); with both, the roles change first. Both are checked "
        "before either runs.",
    )
    @idempotent(recover_user_command)
    def patch(self, request: Request, user_id: str) -> Response:
        wanted = parse_user_id(user_id)
        data = self.valid_input(ChangeUserInput)
        actor = actor_id_of(request)
        result = None
        if "roles" in data:
            result = self.run(cmd.ChangeRoles(actor, wanted, tuple(data["roles"])))
        if "display_name" in data:
            result = self.run(cmd.UpdateProfile(actor, wanted, data["display_name"]))
        return self.answer(result)

    @extend_schema(
        request=None,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: UserOutput, **ON_A_USER},
        summary="Remove a user or API client",
        description="Status `removed`, no roles; its credentials and sessions are deleted. The "
        "name may be registered again later (its stream continues). Never yourself, never the "
        "last active administrator.",
    )
    @idempotent(recover_user_command)
    def delete(self, request: Request, user_id: str) -> Response:
        wanted = parse_user_id(user_id)
        self.valid_input(NoInput)
        return self.answer(self.run(cmd.RemoveUser(actor_id_of(request), wanted)))


class UserCommandApi(IdentityView):
    """A command on one user whose URL says everything (suspend, reinstate)."""

    serializer_class = NoInput
    queryset = UserIdentity.objects.none()
    command: type[cmd.UserCommand]

    def command_for(self, request: Request, user_id: UUID) -> cmd.UserCommand:
        return self.command(actor_id_of(request), user_id)  # type: ignore[call-arg]

    @idempotent(recover_user_command)
    def post(self, request: Request, user_id: str) -> Response:
        wanted = parse_user_id(user_id)
        self.valid_input(NoInput)
        return self.answer(self.run(self.command_for(request, wanted)))


@extend_schema(
    request=NoInput,
    parameters=[IDEMPOTENCY_KEY],
    responses={200: UserOutput, **ON_A_USER},
    summary="Suspend a user or API client",
    description="Status `suspended`: its tokens, OAuth2 tokens and sessions stop working "
    "(within AUTH_CACHE_SECONDS everywhere). Never yourself, never the last active "
    "administrator.",
)
class SuspendUserApi(UserCommandApi):
    command = cmd.SuspendUser


@extend_schema(
    request=NoInput,
    parameters=[IDEMPOTENCY_KEY],
    responses={200: UserOutput, **ON_A_USER},
    summary="Reinstate a suspended user or API client",
    description="Status `active` again. Never yourself.",
)
class ReinstateUserApi(UserCommandApi):
    command = cmd.ReinstateUser


class ChangePasswordApi(IdentityView):
    """A person's password: an administrator sets anyone's; a person changes their own, with
    the current one (a stolen token alone cannot take the account over)."""

    serializer_class = ChangePasswordInput
    queryset = UserIdentity.objects.none()
    throttle_scope = "passwords"
    write_permission = IsSelfOrCanManageUsers

    @extend_schema(
        request=ChangePasswordInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            200: UserOutput,
            **ON_A_USER,
            403: OpenApiResponse(
                FORBIDDEN.response,
                description="Neither yourself nor allowed to manage users (permission_denied, "
                "insufficient_scope); or your own password with a wrong current_password "
                "(wrong_password)",
            ),
        },
        summary="Set a person's password (your own: with current_password)",
        description="The new password is judged by AUTH_PASSWORD_VALIDATORS (400 "
        "weak_password) and stored as an Argon2 hash; the event records only that it "
        "changed.",
    )
    @idempotent(recover_user_command, secret_inputs=PASSWORDS)
    def post(self, request: Request, user_id: str) -> Response:
        wanted = parse_user_id(user_id)
        data = self.valid_input(ChangePasswordInput)
        actor = actor_id_of(request)
        if actor == wanted:
            self.check_current_password(request, data.get("current_password"))
        return self.answer(self.run(cmd.ChangePassword(actor, wanted, data["password"])))

    def check_current_password(self, request: Request, current: str | None) -> None:
        if not current:
            raise ValidationError({"current_password": ["Required to change your own password."]})
        # Through the authentication backends, so failed guesses count towards the lockout
        # (django-axes) like any other login.
        person = authenticate(
            request._request, username=request.user.get_username(), password=current
        )
        if person is None or person.pk != request.user.pk:
            raise WrongPassword()


class ApiClientListApi(IdentityView):
    """POST: register an API client (its token, client id and secret are shown once)."""

    serializer_class = RegisterApiClientInput

    @extend_schema(
        request=RegisterApiClientInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: OpenApiResponse(
                ApiClientOutput,
                description="Registered, with an API token and OAuth2 client credentials "
                "(shown in this answer only; a replay shows them as null)",
            ),
            **REGISTER_ERRORS,
        },
        examples=[
            OpenApiExample(
                "A teller's machine",
                request_only=True,
                value={"name": "branch-7", "role": "teller"},
            ),
            OpenApiExample(
                "Registered",
                response_only=True,
                status_codes=["201"],
                value={
                    "id": "8d2f8a0e-3c1b-5f4e-8b7a-6c5d4e3f2a1b",
                    "name": "branch-7",
                    "kind": "api_client",
                    "role": "teller",
                    "token": "3f9c0b...64 hex characters",
                    "client_id": "Xb2...",
                    "client_secret": "shown once",
                },
            ),
        ],
        summary="Register an API client",
    )
    @idempotent(recover_client_command, secret_outputs=ISSUED)
    def post(self, request: Request) -> Response:
        data = self.valid_input(RegisterApiClientInput)
        credentials = self.run(
            cmd.RegisterApiClient(actor_id_of(request), data["name"], data["role"])
        )
        body = client_answer(credentials.user_id, data["name"], data["role"], credentials)
        headers = {"Location": request.build_absolute_uri(location(credentials.user_id))}
        return Response(body, status=status.HTTP_201_CREATED, headers=headers)


class RotateClientSecretApi(IdentityView):
    serializer_class = NoInput
    queryset = UserIdentity.objects.none()

    @extend_schema(
        request=NoInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: ApiClientOutput, **ON_A_USER},
        summary="Give an API client a new token and client secret",
        description="Its earlier API tokens, client secret and OAuth2 tokens stop working. The "
        "new ones are shown in this answer only.",
    )
    @idempotent(recover_client_command, secret_outputs=ISSUED)
    def post(self, request: Request, user_id: str) -> Response:
        wanted = parse_user_id(user_id)
        self.valid_input(NoInput)
        credentials = self.run(cmd.RotateClientSecret(actor_id_of(request), wanted))
        row = UserIdentity.objects.get(id=wanted)
        return Response(client_answer(wanted, row.username, row.roles, credentials))


@extend_schema(
    request=NoInput,
    parameters=[IDEMPOTENCY_KEY],
    responses={200: UserOutput, **ON_A_USER},
    summary="Revoke an API client",
    description="Status `removed`: every token, client secret and OAuth2 token of it is "
    "deleted. Never the last active administrator.",
)
class RevokeApiClientApi(UserCommandApi):
    command = cmd.RevokeApiClient
