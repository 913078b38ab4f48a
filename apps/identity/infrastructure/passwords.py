"""People's passwords in the credential store (identity.Credential): Argon2 hashes, never in an
event, on Kafka or in a log line.

The hasher is Django's first PASSWORD_HASHERS entry (Argon2PasswordHasher, argon2-cffi; see
techbank/settings/auth.py), and Django's AUTH_PASSWORD_VALIDATORS decide what is too weak. A
hash made with older parameters or another listed hasher is rewritten at the next successful
check (Django's `setter`), so raising the cost needs no reset of anyone's password.
"""

from uuid import UUID

from django.contrib.auth import get_user_model, hashers, password_validation
from django.core.exceptions import ValidationError

from ..application.errors import WeakPassword
from ..models import Credential, UserIdentity

__all__ = ["WeakPassword", "check_password", "forget_password", "set_password", "validate"]


def set_password(user_id: UUID, raw: str, *, username: str = "", display_name: str = "") -> None:
    """Validates `raw` and stores its Argon2 hash as the user's password (replacing any).

    `username`/`display_name` feed the similarity check when the user is not projected yet
    (a registration writes the hash before its event); otherwise the row's are used."""
    validate(user_id, raw, username=username, display_name=display_name)
    Credential.objects.update_or_create(
        user_id=user_id, defaults={"password_hash": hashers.make_password(raw)}
    )


def validate(user_id: UUID, raw: str, *, username: str = "", display_name: str = "") -> None:
    """Raises WeakPassword (`messages`: why, one line each, never the password) when Django's
    validators refuse `raw` for this user."""
    row = UserIdentity.objects.filter(id=user_id).values("username", "display_name").first()
    # An unsaved Django user, only for UserAttributeSimilarityValidator's attributes.
    person = get_user_model()(
        username=username or (row["username"] if row else ""),
        first_name=display_name or (row["display_name"] if row else ""),
    )
    try:
        password_validation.validate_password(raw, user=person)
    except ValidationError as error:
        raise WeakPassword(list(error.messages)) from None


def check_password(user_id: UUID, raw: str) -> bool:
    """Whether `raw` is the user's password. Takes as long for a user with no password as for a
    wrong one (a hash is computed either way), so timing tells no one which names exist."""
    stored = Credential.objects.filter(user_id=user_id).values_list("password_hash", flat=True)
    encoded = stored.first()
    if encoded is None:
        hashers.make_password(raw)  # the same work as a check, for an even response time
        return False

    def upgrade(raw_password: str) -> None:
        Credential.objects.filter(user_id=user_id, password_hash=encoded).update(
            password_hash=hashers.make_password(raw_password)
        )

    return hashers.check_password(raw, encoded, setter=upgrade)


def forget_password(user_id: UUID) -> None:
    """Deletes the user's password (removal): no login with it, ever again."""
    Credential.objects.filter(user_id=user_id).delete()
