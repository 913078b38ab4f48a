"""What happened to a user or API client, in the past tense (apps/contract/user_events.py)."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class UserEvent:
    event_id: UUID
    aggregate_id: UUID
    version: int
    timestamp: datetime


@dataclass(frozen=True)
class UserRegistered(UserEvent):
    username: str
    display_name: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class ApiClientRegistered(UserEvent):
    username: str
    role: str


@dataclass(frozen=True)
class RolesChanged(UserEvent):
    roles: tuple[str, ...]


@dataclass(frozen=True)
class ProfileUpdated(UserEvent):
    display_name: str


@dataclass(frozen=True)
class PasswordChanged(UserEvent):
    pass


@dataclass(frozen=True)
class UserSuspended(UserEvent):
    pass


@dataclass(frozen=True)
class UserReinstated(UserEvent):
    pass


@dataclass(frozen=True)
class UserRemoved(UserEvent):
    pass


@dataclass(frozen=True)
class ClientSecretRotated(UserEvent):
    pass


@dataclass(frozen=True)
class ApiClientRevoked(UserEvent):
    pass
