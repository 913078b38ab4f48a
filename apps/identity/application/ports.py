"""What the identity handlers need from the outside world, as interfaces."""

from typing import Protocol
from uuid import UUID

from ..domain.user import User


class UserRepository(Protocol):
    def load(self, user_id: UUID) -> User:
        """The user rebuilt from its stream; version 0 if it has none."""

    def save(self, user: User) -> None:
        """Records the user's pending events (metadata: actor, correlation and causation ids
        from the request context), or raises kernel.concurrency.ConcurrencyError when another
        command stored the next version first."""


class UserProjection(Protocol):
    """Django's users and groups as a fold of the identity events (infrastructure/projector.py).

    The handlers apply it right after saving, so the answer, permissions and suspension take
    effect at once; the identity consumer applies it again from Kafka (idempotent by
    version), which repairs a process that died in between."""

    def project(self, user_id: UUID) -> None: ...

    def can_take(self, user_id: UUID, username: str) -> bool:
        """False when a Django user of this name exists that is not this user's projection
        and holds rights of its own (a superuser made by `createsuperuser`, a staff member):
        registering the name would hand that account over. A plain one (an API client made
        before the identity context existed) is adopted."""

    def active_administrators(self, excluding: UUID) -> int:
        """How many active administrators there are besides `excluding`."""


class AdministratorsLock(Protocol):
    """Serialises the commands that could leave no active administrator (across processes)."""

    def __enter__(self) -> object: ...

    def __exit__(self, *exc: object) -> None: ...


class CredentialStore(Protocol):
    """Secrets, written by the commands directly and never in an event (a replay keeps them)."""

    def validate_password(self, password: str, username: str) -> None:
        """Raises application.errors.WeakPassword if Django's validators refuse it."""

    def set_password(self, user_id: UUID, password: str) -> None:
        """Stores the Argon2 hash of `password`."""

    def check_password(self, user_id: UUID, password: str) -> bool: ...

    def issue_api_token(self, user_id: UUID) -> str:
        """A new API token (knox) for the user's Django user; shown once, stored as a digest."""

    def issue_client_secret(self, user_id: UUID, revoke_earlier: bool) -> tuple[str, str]:
        """(client_id, client_secret) of the user's OAuth2 client-credentials application,
        created or with a new secret; with `revoke_earlier`, every OAuth2 token issued before
        is deleted."""

    def revoke_api_tokens(self, user_id: UUID) -> None:
        """Deletes every API token of the user (a rotation that leaves nothing old working)."""

    def revoke_all(self, user_id: UUID) -> None:
        """Deletes every API token, OAuth2 application, token and grant, every session and the
        password hash (removal, revocation)."""

    def end_sessions(self, user_id: UUID) -> None:
        """Ends the user's admin sessions and OAuth2 tokens (suspension, removal)."""
