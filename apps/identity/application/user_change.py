"""How an identity command changes a user: load, decide, store (again on a lost race), project
at once; the results the handlers answer and what they work with (Identity).

Commands that could leave no active administrator run under the AdministratorsLock, so the
number of other active administrators they pass to the aggregate cannot change meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from uuid import UUID

from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from kernel.concurrency import ConcurrencyError

from ..domain.errors import UsernameTaken
from ..domain.rules import valid_username
from ..domain.user import User
from ..domain.user_ids import user_id_for
from .errors import ConcurrencyExhausted
from .ports import AdministratorsLock, CredentialStore, UserProjection, UserRepository


@dataclass(frozen=True)
class UserChanged:
    user_id: UUID
    version: int


@dataclass(frozen=True)
class ClientCredentials:
    """Shown once: only digests and hashes are kept. `client_id` and `client_secret` are None
    when no OAuth2 application was asked for (`create_api_client` without --oauth)."""

    user_id: UUID
    version: int
    client_id: str | None
    client_secret: str | None
    token: str


@dataclass(frozen=True)
class Identity:
    """What the handlers work with (built in apps/identity/bootstrap.py)."""

    repository: UserRepository
    projection: UserProjection
    credentials: CredentialStore
    administrators: AdministratorsLock
    retries: int = 50


Decide = Callable[[User], None]


def change(identity: Identity, user_id: UUID, decide: Decide, guarded: bool = False) -> User:
    """Load, decide, save (again on a lost race), project; under the administrators' lock
    when `guarded`. Returns the user as stored."""

    def attempt() -> User:
        user = identity.repository.load(user_id)
        decide(user)
        identity.repository.save(user)
        return user

    retrying = retry(
        retry=retry_if_exception_type(ConcurrencyError),
        stop=stop_after_attempt(identity.retries + 1),
        wait=wait_random_exponential(multiplier=0.01, max=0.5),
        reraise=True,
    )(attempt)
    with identity.administrators if guarded else nullcontext():
        try:
            user = retrying()
        except ConcurrencyError:
            raise ConcurrencyExhausted("The user is changing too fast; try again.") from None
        # Inside the lock: the next guarded command counts administrators from this row.
        identity.projection.project(user_id)
    return user


def others(identity: Identity, user_id: UUID) -> int:
    return identity.projection.active_administrators(excluding=user_id)


def new_name(identity: Identity, name: str) -> UUID:
    user_id = user_id_for(valid_username(name))
    if not identity.projection.can_take(user_id, name):
        raise UsernameTaken(f"The name {name} is taken.")
    return user_id
