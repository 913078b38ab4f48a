"""Request and response shapes of the identity API. The User aggregate checks the rules again
(apps/identity/domain/rules.py); the shapes refuse what is malformed before a command is made.

No answer ever carries a password or its hash. A token and a client secret appear only in the
answer of the command that issued them (registering an API client, rotating its secret).
"""

from collections.abc import Callable
from typing import Any

from rest_framework import serializers

from api_platform.strict import StrictInput
from apps.contract.user_events import (
    DISPLAY_NAME_MAX_LENGTH,
    USERNAME_MAX_LENGTH,
    USERNAME_PATTERN,
    Role,
)

from ..domain.errors import IdentityError
from ..domain.rules import valid_display_name, valid_roles

# Long enough for any passphrase, short enough that the validators' work stays small.
PASSWORD_MAX_LENGTH = 512
ROLE_CHOICES = [role.value for role in Role]
USERNAME_HELP = "1 to 150 letters, digits and @ . + - _ (compared case-insensitively)."


class TextField(serializers.CharField):
    """Text only: DRF's CharField would take 42 for "42" (a name, a password a client sent as a
    number is a client's mistake to hear about, not to guess at)."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class UsernameField(TextField):
    default_error_messages = {"pattern": USERNAME_HELP}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=USERNAME_MAX_LENGTH, trim_whitespace=False, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if not USERNAME_PATTERN.fullmatch(value):
            self.fail("pattern")
        return value


class PasswordField(TextField):
    """A password: the command's handler has Django's validators (AUTH_PASSWORD_VALIDATORS)
    judge a new one (400 weak_password)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", "Judged by AUTH_PASSWORD_VALIDATORS (400 weak_password); never shown."
        )
        super().__init__(
            max_length=PASSWORD_MAX_LENGTH,
            trim_whitespace=False,
            style={"input_type": "password"},
            write_only=True,
            **kwargs,
        )


class RolesField(serializers.ListField):
    """A list of roles whose errors are a flat list of messages, as every field's are in the
    error envelope (DRF's ListField would answer {"0": [...]} per item)."""

    def to_internal_value(self, data: Any) -> list[Any]:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            detail = error.detail
            if isinstance(detail, dict):
                flat = [
                    f"Item {index}: {message}"
                    for index, messages in detail.items()
                    for message in messages
                ]
                raise serializers.ValidationError(flat) from None
            raise serializers.ValidationError(detail) from None


def roles_field(**kwargs: Any) -> serializers.ListField:
    return RolesField(
        child=serializers.ChoiceField(choices=ROLE_CHOICES),
        allow_empty=False,
        max_length=len(ROLE_CHOICES),
        help_text="Distinct roles; an administrator holds no other (separation of duties).",
        **kwargs,
    )


def display_name_field(**kwargs: Any) -> serializers.CharField:
    return TextField(
        max_length=DISPLAY_NAME_MAX_LENGTH,
        allow_blank=True,
        help_text=f"At most {DISPLAY_NAME_MAX_LENGTH} printable characters.",
        **kwargs,
    )


def checked(field: str, rule: Callable[[Any], Any], value: Any) -> Any:
    """The domain's own rule (apps/identity/domain/rules.py) as a field error: a PATCH of roles
    and profile is refused whole, before either command runs."""
    try:
        return rule(value)
    except IdentityError as error:
        raise serializers.ValidationError({field: [str(error)]}) from None


class RulesChecked(StrictInput):
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "roles" in attrs:
            attrs["roles"] = checked("roles", valid_roles, tuple(attrs["roles"]))
        if "display_name" in attrs:
            attrs["display_name"] = checked(
                "display_name", valid_display_name, attrs["display_name"]
            )
        return attrs


class RegisterUserInput(RulesChecked):
    username = UsernameField(help_text=USERNAME_HELP)
    password = PasswordField()
    roles = roles_field()
    display_name = display_name_field(required=False, default="")


class ChangeUserInput(RulesChecked):
    """PATCH: the profile, the roles, or both (the roles are changed first)."""

    display_name = display_name_field(required=False)
    roles = roles_field(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError("Give display_name, roles or both.")
        return super().validate(attrs)


class ChangePasswordInput(StrictInput):
    password = PasswordField()
    current_password = TextField(
        max_length=PASSWORD_MAX_LENGTH,
        trim_whitespace=False,
        required=False,
        write_only=True,
        style={"input_type": "password"},
        help_text="Required when you change your own password; not when an administrator "
        "sets another person's.",
    )


class RegisterApiClientInput(StrictInput):
    name = UsernameField(help_text=USERNAME_HELP)
    role = serializers.ChoiceField(choices=ROLE_CHOICES)


class NoInput(StrictInput):
    """A command whose URL says everything: its body is `{}` (or empty)."""
