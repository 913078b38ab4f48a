"""The User aggregate (people and API clients): checks the rules, records events, changes only
by applying them.

Separation of duties is decided here: nobody changes their own roles or status, and the last
active administrator is never suspended, removed or demoted. How many other administrators
are active is a fact about other aggregates: the handler counts them (under a lock that
serialises such commands) and passes the number in.
"""

from __future__ import annotations

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
from .user_state import Clock, UserState, utc_now

__all__ = ["Clock", "User", "utc_now"]


class User(UserState):
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
            **fields,
        )
        self.apply(event)
        self._pending.append(event)
