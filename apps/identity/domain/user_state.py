"""What a User is after its events: the state a fold of its stream reaches (every field changes
only by applying an event), apart from the decisions (user.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import singledispatchmethod
from typing import Self
from uuid import UUID

from apps.contract.user_events import Kind, Role, Status

from . import events as ev

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class UserState:
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
    def rebuild(cls, user_id: UUID, events: Iterable[ev.UserEvent], clock: Clock = utc_now) -> Self:
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
