"""The API-client routes: register one (its secrets shown once), rotate its secret, revoke it."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from api_platform.idempotency import idempotent
from api_platform.schema import IDEMPOTENCY_KEY

from ..domain import commands as cmd
from ..models import UserIdentity
from .answers import (
    client_answer,
    location,
    recover_client_command,
)
from .identity_view import ISSUED, IdentityView, actor_id_of, parse_user_id
from .outputs import ApiClientOutput, UserOutput
from .schema import ON_A_USER, REGISTER_ERRORS
from .serializers import NoInput, RegisterApiClientInput
from .user_status_views import UserCommandApi


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
