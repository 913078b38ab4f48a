"""Passwords in the credential store (identity.Credential): a hash per user id, by Django's
first PASSWORD_HASHERS entry (Argon2), never in an event, a message or a log.

(A minimal version, so the identity commands work; the login side replaces it.)
"""

from uuid import UUID

from django.contrib.auth.hashers import check_password as matches
from django.contrib.auth.hashers import make_password

from ..models import Credential


def set_password(user_id: UUID, raw: str) -> None:
    Credential.objects.update_or_create(
        user_id=user_id, defaults={"password_hash": make_password(raw)}
    )


def check_password(user_id: UUID, raw: str) -> bool:
    row = Credential.objects.filter(user_id=user_id).first()
    return row is not None and matches(raw, row.password_hash)
