"""Refusals of the identity domain, each with the machine-readable code the API answers."""


class IdentityError(Exception):
    code = "identity_error"


class UserNotFound(IdentityError):
    code = "user_not_found"


class UsernameTaken(IdentityError):
    code = "username_taken"


class ForbiddenSelfChange(IdentityError):
    """Separation of duties: nobody changes their own roles or status."""

    code = "forbidden_self_change"


class LastAdministrator(IdentityError):
    code = "last_administrator"


class InvalidRoles(IdentityError):
    code = "invalid_roles"


class InvalidUsername(IdentityError):
    code = "invalid_username"


class UserRemoved(IdentityError):
    code = "user_removed"


class UserNotActive(IdentityError):
    code = "user_not_active"


class UserNotSuspended(IdentityError):
    code = "user_not_suspended"


class WrongKind(IdentityError):
    """A person's command on an API client, or a client's on a person."""

    code = "wrong_kind"
