"""The one authentication backend that checks a password: a person's, from the credential store.

username -> UserIdentity (a person, active) -> its Django user (active) -> the Argon2 hash in
identity.Credential. An API client, a suspended or removed person, or a Django user that no
identity command made is never logged in with a password: the Django user's own password
column stays unusable and nothing reads it. Permissions (groups = roles) and the session's
user (`get_user`, which refuses an inactive user on every request: a suspension ends admin
sessions at once) are ModelBackend's.
"""

from typing import Any
from uuid import UUID

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from ..models import UserIdentity
from . import passwords


class PersonPasswordBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not username or password is None:
            return None
        identity = (
            UserIdentity.objects.select_related("user")
            .filter(
                username__iexact=username,
                kind=UserIdentity.Kind.PERSON,
                status=UserIdentity.Status.ACTIVE,
            )
            .first()
        )
        if identity is None or not self.user_can_authenticate(identity.user):
            passwords.check_password(_NOBODY, password)  # the same work: names stay secret
            return None
        if passwords.check_password(identity.id, password):
            return identity.user
        return None


# No user has this id (user ids are uuid5 of a name, never the nil UUID).
_NOBODY = UUID(int=0)
