"""The commands on a user that take no body: suspend, reinstate (and, for API clients,
revoke: api_client_views.py)."""

from collections.abc import Callable
from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from api_platform.idempotency import idempotent
from api_platform.schema import IDEMPOTENCY_KEY

from ..domain import commands as cmd
from ..models import UserIdentity
from .answers import recover_user_command
from .identity_view import IdentityView, actor_id_of, parse_user_id
from .outputs import UserOutput
from .schema import ON_A_USER
from .serializers import NoInput


class UserCommandApi(IdentityView):
    """A command on one user whose URL says everything (suspend, reinstate)."""

    serializer_class = NoInput
    queryset = UserIdentity.objects.none()
    # A command class whose fields are (actor_id, user_id): SuspendUser, ReinstateUser.
    command: Callable[[UUID | None, UUID], cmd.UserCommand]

    def command_for(self, request: Request, user_id: UUID) -> cmd.UserCommand:
        return self.command(actor_id_of(request), user_id)

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
