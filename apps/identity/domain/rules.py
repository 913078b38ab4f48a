"""The rules a user's names and roles obey, shared by every command that sets them."""

from apps.contract.user_events import (
    DISPLAY_NAME_MAX_LENGTH,
    USERNAME_PATTERN,
    Role,
)

from .errors import InvalidRoles, InvalidUsername


def valid_username(username: str) -> str:
    if not USERNAME_PATTERN.fullmatch(username):
        raise InvalidUsername("A username is 1 to 150 letters, digits and @ . + - _ characters.")
    return username


def valid_display_name(display_name: str) -> str:
    name = display_name.strip()
    if len(name) > DISPLAY_NAME_MAX_LENGTH or not all(c.isprintable() for c in name):
        raise InvalidUsername(
            f"A display name is at most {DISPLAY_NAME_MAX_LENGTH} printable characters."
        )
    return name


def valid_roles(roles: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The roles, sorted; refused when empty, unknown, repeated, or administrator with another
    (separation of duties: an administrator runs no account command, so holds no other role)."""
    known = {role.value for role in Role}
    if not roles or len(set(roles)) != len(roles) or not set(roles) <= known:
        raise InvalidRoles(f"Roles are one or more distinct of {', '.join(sorted(known))}.")
    if Role.ADMINISTRATOR in roles and len(roles) > 1:
        raise InvalidRoles("An administrator holds no other role: it runs no account command.")
    return tuple(sorted(roles))
