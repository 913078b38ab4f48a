"""The identity API's status table: which HTTP status answers each refusal of the User
aggregate and its handlers (the code is the error's own: apps/identity/domain/errors.py,
application/errors.py), and the base view that answers them. `handle` reads the table (the
most specific class wins) and hands the rest to api_platform/errors.exception_handler."""

from collections.abc import Callable
from typing import Any

from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api_platform.errors import Refusal, RefusalError, exception_handler

from ..application.errors import AdministratorsBusy, ConcurrencyExhausted, WeakPassword
from ..domain.errors import (
    ForbiddenSelfChange,
    IdentityError,
    InvalidRoles,
    InvalidUsername,
    LastAdministrator,
    UsernameTaken,
    UserNotActive,
    UserNotFound,
    UserNotSuspended,
    UserRemoved,
    WrongKind,
)


class WrongPassword(Exception):
    """A person changing their own password gave a wrong current one."""

    code = "wrong_password"
    detail = "current_password is not your password."


class Explained:
    """A refusal of the domain as the error envelope reads it: its code, and its message as
    the detail (the domain's errors carry only a message)."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.code: str = getattr(error, "code", "identity_error")
        self.detail: str = getattr(error, "detail", None) or str(error)


def field_error(name: str) -> Callable[[Explained], dict[str, Any]]:
    return lambda e: {"errors": {name: [e.detail]}}


REFUSALS: dict[type, Refusal] = {
    UserNotFound: Refusal(404),
    UsernameTaken: Refusal(409),
    ForbiddenSelfChange: Refusal(403),
    LastAdministrator: Refusal(409),
    InvalidRoles: Refusal(400, field_error("roles")),
    InvalidUsername: Refusal(400, field_error("username")),
    UserRemoved: Refusal(409),
    UserNotActive: Refusal(409),
    UserNotSuspended: Refusal(409),
    WrongKind: Refusal(409),
    WeakPassword: Refusal(400, lambda e: {"errors": {"password": e.error.messages}}),
    WrongPassword: Refusal(403),
    ConcurrencyExhausted: Refusal(409),
    AdministratorsBusy: Refusal(409),
    IdentityError: Refusal(400),
}


def handle(exc: Exception, context: dict[str, Any]) -> Response | None:
    """The project's handler, with the identity refusals explained first."""
    refusal = next((REFUSALS[c] for c in type(exc).__mro__ if c in REFUSALS), None)
    if refusal is not None:
        exc = RefusalError(Explained(exc), refusal)
    return exception_handler(exc, context)


def user_not_found(raw: str) -> NotFound:
    return NotFound(f"No user with id {raw!r}.", code="user_not_found")


class IdentityApiView(GenericAPIView):
    """What every view of the identity API shares: its refusals answered from one table."""

    def get_exception_handler(self) -> Callable[..., Response | None]:
        return handle
