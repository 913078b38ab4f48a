"""The identity API: users and API clients as commands (one per route and method) and queries.

A command view validates its body, makes the command with the requester as its actor,
dispatches it and answers the user as of the version it stored (answers.py). Reads come from the
projection (UserIdentity), which the command handlers update before they return, so a read right
after a command sees it.

Administrators (manage_users; an OAuth2 token also needs users:write) run every command;
administrators and auditors (view_useridentity; users:read) read. The one self-service route is
a person's own password, which takes the current password as well.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from api_platform.idempotency import idempotent
from api_platform.schema import IDEMPOTENCY_KEY

from ..domain import commands as cmd
from ..models import UserIdentity
from .answers import location, recover_user_command
from .errors import user_not_found
from .filters import UserFilter
from .identity_view import PASSWORDS, IdentityView, actor_id_of, parse_user_id
from .outputs import UserOutput
from .pagination import UserPagination
from .schema import LIST_ERRORS, ON_A_USER, READ_ERRORS, REGISTER_ERRORS
from .serializers import ChangeUserInput, NoInput, RegisterUserInput


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
