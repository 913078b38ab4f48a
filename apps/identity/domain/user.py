"""The User aggregate (people and API clients): checks the rules, records events, changes only
by applying them.

Separation of duties is decided here: nobody changes their own roles or status, and the last
active administrator is never suspended, removed or demoted. How many other administrators
are active is a fact about other aggregates: the handler counts them (under a lock that
serialises such commands) and passes the number in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import singledispatchmethod
from uuid import UUID, uuid4

from apps.contract.user_events import Kind, Role, Status

from . import events as ev
from .errors import (
    ForbiddenSelfChange,
    LastAdministrator,
    UsernameTaken,
    UserNotActive,
    UserNotFound,
    UserNotSuspended,
    UserRemoved,
    WrongKind,
)
from .rules import valid_display_name, valid_roles, valid_username
from .user_ids import user_id_for

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class User:
    def __init__(self, user_id: UUID, clock: Clock = utc_now) -> None:
        self.id = user_id
        self.version = 0
        self.kind = ""
        self.username = ""
        self.display_name = ""
        self.roles: tuple[str, ...] = ()
        self.status = ""
        self._clock = clock
        self._pending: list[ev.UserEvent] = []

    @classmethod
    def rebuild(cls, user_id: UUID, events: Iterable[ev.UserEvent], clock: Clock = utc_now) -> User:
        user = cls(user_id, clock)
        for event in events:
            user.apply(event)
        return user

    @property
    def exists(self) -> bool:
        """Registered and not removed."""
        return self.version > 0 and self.status != Status.REMOVED

    @property
    def is_active_administrator(self) -> bool:
        return self.status == Status.ACTIVE and Role.ADMINISTRATOR in self.roles

    # --- decisions ------------------------------------------------------------------------
    def register(self, username: str, roles: tuple[str, ...], display_name: str) -> None:
        self._check_new(username)
        self._record(
            ev.UserRegistered,
            username=valid_username(username),
            display_name=valid_display_name(display_name),
            roles=valid_roles(roles),
        )

    def register_api_client(self, name: str, role: str) -> None:
        self._check_new(name)
        (checked,) = valid_roles((role,))
        self._record(ev.ApiClientRegistered, username=valid_username(name), role=checked)

    def change_roles(
        self, roles: tuple[str, ...], actor_id: UUID | None, other_administrators: int
    ) -> None:
        self._check_existing()
        self._check_not_self(actor_id, "roles")
        new_roles = valid_roles(roles)
        if self.kind == Kind.API_CLIENT and len(new_roles) != 1:
            raise WrongKind("An API client holds exactly one role.")
        if Role.ADMINISTRATOR not in new_roles:
            self._check_not_last_administrator(other_administrators)
        if new_roles != self.roles:
            self._record(ev.RolesChanged, roles=new_roles)

    def update_profile(self, display_name: str) -> None:
        self._check_existing()
        name = valid_display_name(display_name)
        if name != self.display_name:
            self._record(ev.ProfileUpdated, display_name=name)

    def change_password(self) -> None:
        self._check_existing()
        self._check_kind(Kind.PERSON)
        self._record(ev.PasswordChanged)

    def suspend(self, actor_id: UUID | None, other_administrators: int) -> None:
        self._check_existing()
        self._check_not_self(actor_id, "status")
        if self.status != Status.ACTIVE:
            raise UserNotActive(f"User {self.username} is not active.")
        self._check_not_last_administrator(other_administrators)
        self._record(ev.UserSuspended)

    def reinstate(self, actor_id: UUID | None) -> None:
        self._check_existing()
        self._check_not_self(actor_id, "status")
        if self.status != Status.SUSPENDED:
            raise UserNotSuspended(f"User {self.username} is not suspended.")
        self._record(ev.UserReinstated)

    def remove(self, actor_id: UUID | None, other_administrators: int) -> None:
        self._check_existing()
        self._check_not_self(actor_id, "status")
        self._check_not_last_administrator(other_administrators)
        self._record(ev.UserRemoved)

    def rotate_client_secret(self) -> None:
        self._check_existing()
        self._check_kind(Kind.API_CLIENT)
        self._record(ev.ClientSecretRotated)

    def revoke_api_client(self, actor_id: UUID | None, other_administrators: int) -> None:
        self._check_existing()
        self._check_kind(Kind.API_CLIENT)
        self._check_not_self(actor_id, "status")
        self._check_not_last_administrator(other_administrators)
        self._record(ev.ApiClientRevoked)

    def pull_pending_events(self) -> list[ev.UserEvent]:
        pending, self._pending = self._pending, []
        return pending

    # --- rules ----------------------------------------------------------------------------
    def _check_new(self, username: str) -> None:
        if self.id != user_id_for(username):
            raise ValueError("a user's id is derived from its name (user_ids.user_id_for)")
        if self.exists:
            raise UsernameTaken(f"The name {username} is taken.")

    def _check_existing(self) -> None:
        if self.version == 0:
            raise UserNotFound(f"No user with id {self.id}.")
        if self.status == Status.REMOVED:
            raise UserRemoved(f"User {self.username} was removed.")

    def _check_kind(self, kind: Kind) -> None:
        if self.kind != kind:
            raise WrongKind(f"{self.username} is not a {kind.value.replace('_', ' ')}.")

    def _check_not_self(self, actor_id: UUID | None, what: str) -> None:
        if actor_id == self.id:
            raise ForbiddenSelfChange(
                f"Nobody changes their own {what}; ask another administrator."
            )

    def _check_not_last_administrator(self, other_administrators: int) -> None:
        if self.is_active_administrator and other_administrators < 1:
            raise LastAdministrator("The last active administrator must stay one.")

    # --- events ---------------------------------------------------------------------------
    def _record(self, event_type: type[ev.UserEvent], **fields: object) -> None:
        event = event_type(
            event_id=uuid4(),
            aggregate_id=self.id,
            version=self.version + 1,
            timestamp=self._clock(),
            **fields,  # type: ignore[arg-type]  # each event type's own fields
        )
        self.apply(event)
        self._pending.append(event)

    @singledispatchmethod
    def apply(self, event: ev.UserEvent) -> None:
        raise TypeError(f"User cannot apply {type(event).__name__}")

    @apply.register
    def _(self, event: ev.UserRegistered) -> None:
        self._start(event, Kind.PERSON, event.username, event.roles)
        self.display_name = event.display_name

    @apply.register
    def _(self, event: ev.ApiClientRegistered) -> None:
        self._start(event, Kind.API_CLIENT, event.username, (event.role,))
        self.display_name = ""

    @apply.register
    def _(self, event: ev.RolesChanged) -> None:
        self.roles = tuple(event.roles)
        self.version = event.version

    @apply.register
    def _(self, event: ev.ProfileUpdated) -> None:
        self.display_name = event.display_name
        self.version = event.version

    @apply.register(ev.PasswordChanged)
    @apply.register(ev.ClientSecretRotated)
    def _(self, event: ev.UserEvent) -> None:
        self.version = event.version

    @apply.register
    def _(self, event: ev.UserSuspended) -> None:
        self.status = Status.SUSPENDED
        self.version = event.version

    @apply.register
    def _(self, event: ev.UserReinstated) -> None:
        self.status = Status.ACTIVE
        self.version = event.version

    @apply.register(ev.UserRemoved)
    @apply.register(ev.ApiClientRevoked)
    def _(self, event: ev.UserEvent) -> None:
        self.status = Status.REMOVED
        self.roles = ()
        self.version = event.version

    def _start(self, event: ev.UserEvent, kind: Kind, name: str, roles: tuple[str, ...]) -> None:
        # A removed name registered again continues its stream: its id names it throughout.
        self.kind = kind
        self.username = name
        self.roles = tuple(roles)
        self.status = Status.ACTIVE
        self.version = event.version
