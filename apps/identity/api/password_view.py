"""A user's password: set by an administrator, or by the person themselves with their current
password (the one self-service route; wrong guesses count toward the login lockout)."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from api_platform.idempotency import idempotent
from api_platform.permissions import IsSelfOrCanManageUsers
from api_platform.schema import IDEMPOTENCY_KEY

from ..domain import commands as cmd
from ..models import UserIdentity
from .answers import recover_user_command
from .errors import WrongPassword
from .identity_view import PASSWORDS, IdentityView, actor_id_of, parse_user_id
from .outputs import UserOutput
from .schema import FORBIDDEN, ON_A_USER
from .serializers import ChangePasswordInput


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
