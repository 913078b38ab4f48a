"""Commands on users and API clients, named in the imperative.

`actor_id` is the user who issues the command (None: a system process such as
`create_administrator` before anyone can log in); the aggregate's separation-of-duties rules
need it. Passwords travel in commands to the handler, which hands them to the credential store:
the aggregate never sees one and no event records one.
"""

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class UserCommand:
    actor_id: UUID | None


@dataclass(frozen=True)
class RegisterUser(UserCommand):
    username: str
    password: str
    roles: tuple[str, ...]
    display_name: str = ""


@dataclass(frozen=True)
class ChangeRoles(UserCommand):
    user_id: UUID
    roles: tuple[str, ...]


@dataclass(frozen=True)
class UpdateProfile(UserCommand):
    user_id: UUID
    display_name: str


@dataclass(frozen=True)
class ChangePassword(UserCommand):
    user_id: UUID
    password: str


@dataclass(frozen=True)
class SuspendUser(UserCommand):
    user_id: UUID


@dataclass(frozen=True)
class ReinstateUser(UserCommand):
    user_id: UUID


@dataclass(frozen=True)
class RemoveUser(UserCommand):
    user_id: UUID


@dataclass(frozen=True)
class RegisterApiClient(UserCommand):
    name: str
    role: str
    # Also an OAuth2 client-credentials application (`create_api_client` without --oauth: no).
    oauth: bool = True


@dataclass(frozen=True)
class RotateClientSecret(UserCommand):
    """A new API token, and a new OAuth2 client secret unless `oauth` is False; earlier tokens
    and OAuth2 tokens are deleted unless `revoke_earlier` is False (`create_api_client` run
    again on an active client keeps them, as it always did)."""

    user_id: UUID
    oauth: bool = True
    revoke_earlier: bool = True


@dataclass(frozen=True)
class RevokeApiClient(UserCommand):
    user_id: UUID
