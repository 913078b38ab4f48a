"""The identity handlers on the in-memory event store, with a projection and a credential store
in memory: what each command stores, in which order credentials are written, and the
refusals that leave nothing behind. No I/O."""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID, uuid4

import pytest

from apps.eventstore.memory import InMemoryEventStore
from apps.identity.application.errors import WeakPassword
from apps.identity.application.handlers import build_dispatcher
from apps.identity.application.user_change import ClientCredentials, Identity, UserChanged
from apps.identity.domain import commands as cmd
from apps.identity.domain import errors
from apps.identity.domain.user import User
from apps.identity.domain.user_ids import user_id_for
from apps.identity.infrastructure.event_codec import to_stored
from apps.identity.infrastructure.repository import EventSourcedUserRepository, user_events
from kernel.concurrency import ConcurrencyError

ROOT = None  # the system (create_administrator), before anyone can log in


class Projection:
    def __init__(self, store: InMemoryEventStore) -> None:
        self.store = store
        self.rows: dict[UUID, User] = {}
        self.taken: set[str] = set()  # names of Django users with rights of their own

    def project(self, user_id: UUID) -> None:
        self.rows[user_id] = User.rebuild(user_id, user_events(self.store, user_id))

    def can_take(self, user_id: UUID, username: str) -> bool:
        return username not in self.taken

    def active_administrators(self, excluding: UUID) -> int:
        return sum(u.is_active_administrator for i, u in self.rows.items() if i != excluding)


class Credentials:
    def __init__(self, store: InMemoryEventStore) -> None:
        self.store = store
        self.log: list[tuple[str, UUID, int]] = []  # (what, user, stream length meanwhile)
        self.passwords: dict[UUID, str] = {}

    def _note(self, what: str, user_id: UUID) -> None:
        self.log.append((what, user_id, len(self.store.read_stream(str(user_id)))))

    def validate_password(self, password: str, username: str) -> None:
        if len(password) < 8:
            raise WeakPassword(["This password is too short."])

    def set_password(self, user_id: UUID, password: str) -> None:
        self._note("password", user_id)
        self.passwords[user_id] = password

    def check_password(self, user_id: UUID, password: str) -> bool:
        return self.passwords.get(user_id) == password

    def issue_api_token(self, user_id: UUID) -> str:
        self._note("token", user_id)
        return f"token-{uuid4().hex}"

    def issue_client_secret(self, user_id: UUID, revoke_earlier: bool) -> tuple[str, str]:
        self._note("secret", user_id)
        return f"client-{user_id.hex[:8]}", f"secret-{uuid4().hex}"

    def revoke_api_tokens(self, user_id: UUID) -> None:
        self._note("revoke_tokens", user_id)

    def revoke_all(self, user_id: UUID) -> None:
        self._note("revoke_all", user_id)

    def end_sessions(self, user_id: UUID) -> None:
        self._note("end_sessions", user_id)


class Lock:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entered = 0

    def __enter__(self) -> Lock:
        self.lock.acquire()
        self.entered += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


class World:
    def __init__(self) -> None:
        self.store = InMemoryEventStore()
        self.projection = Projection(self.store)
        self.credentials = Credentials(self.store)
        self.lock = Lock()
        self.repository = EventSourcedUserRepository(self.store, self.store.append)
        self.dispatcher = build_dispatcher(
            Identity(self.repository, self.projection, self.credentials, self.lock, retries=5)
        )

    def __call__(self, command: object) -> Any:
        return self.dispatcher.dispatch(command)

    def stream(self, user_id: UUID) -> list[str]:
        return [e.event_type for e in self.store.read_stream(str(user_id))]

    def admin(self, name: str = "root") -> UUID:
        return self(cmd.RegisterUser(ROOT, name, "long enough pw", ("administrator",))).user_id


@pytest.fixture
def world() -> World:
    return World()


def test_registration_stores_the_event_then_the_password(world):
    result = world(cmd.RegisterUser(ROOT, "alice", "long enough pw", ("teller",), "Alice"))
    assert result == UserChanged(user_id_for("alice"), 1)
    assert world.stream(result.user_id) == ["UserRegistered"]
    # Written after the event (the stream had it): a loser of the race never writes one.
    assert world.credentials.log == [("password", result.user_id, 1)]
    assert world.projection.rows[result.user_id].username == "alice"
    stored = world.store.read_stream(str(result.user_id))[0]
    assert "long enough pw" not in repr(stored)


def test_a_taken_name_or_a_weak_password_stores_and_writes_nothing(world):
    world(cmd.RegisterUser(ROOT, "alice", "long enough pw", ("teller",)))
    with pytest.raises(errors.UsernameTaken):
        world(cmd.RegisterUser(ROOT, "ALICE", "another long pw", ("auditor",)))
    with pytest.raises(WeakPassword):
        world(cmd.RegisterUser(ROOT, "bob", "short", ("teller",)))
    world.projection.taken.add("superuser")
    with pytest.raises(errors.UsernameTaken):
        world(cmd.RegisterApiClient(ROOT, "superuser", "teller"))
    assert world.stream(user_id_for("bob")) == []
    assert world.stream(user_id_for("superuser")) == []
    assert [what for what, *_ in world.credentials.log] == ["password"]


def test_a_registration_that_lost_the_race_is_refused_and_writes_no_password(world):
    """The store's unique key decides: the loser reloads, finds the name taken, stops."""
    user_id = user_id_for("carol")
    winner = User(user_id)
    winner.register("carol", ("teller",), "")
    appended = world.store.append

    def racing_append(event):  # the other process stores version 1 first
        if event.aggregate_id == str(user_id) and not world.store.read_stream(str(user_id)):
            for early in winner.pull_pending_events():
                appended(to_stored(early))
            raise ConcurrencyError(str(user_id), 1)
        appended(event)

    world.repository.record = racing_append
    with pytest.raises(errors.UsernameTaken):
        world(cmd.RegisterUser(ROOT, "carol", "long enough pw", ("auditor",)))
    assert world.stream(user_id) == ["UserRegistered"]
    assert world.credentials.log == []


def test_a_lost_race_is_decided_again_on_the_new_state(world):
    user_id = world(cmd.RegisterUser(ROOT, "dave", "long enough pw", ("teller",))).user_id
    record, raced = world.repository.record, []

    def once_lost(event):
        if not raced:
            raced.append(event)
            other = User.rebuild(user_id, user_events(world.store, user_id))
            other.update_profile("Dave D.")
            record(to_stored(other.pull_pending_events()[0]))
            raise ConcurrencyError(str(user_id), event.version)
        record(event)

    world.repository.record = once_lost
    assert world(cmd.ChangeRoles(uuid4(), user_id, ("auditor",))) == UserChanged(user_id, 3)
    assert world.stream(user_id) == ["UserRegistered", "ProfileUpdated", "RolesChanged"]


def test_commands_that_could_lose_the_last_administrator_take_the_lock(world):
    root = world.admin()
    other = world.admin("second")
    teller = world(cmd.RegisterUser(root, "erin", "long enough pw", ("teller",))).user_id
    assert world.lock.entered == 0
    world(cmd.SuspendUser(root, other))
    with pytest.raises(errors.LastAdministrator):
        world(cmd.RemoveUser(other, root))
    with pytest.raises(errors.LastAdministrator):
        world(cmd.ChangeRoles(other, root, ("auditor",)))
    world(cmd.ReinstateUser(root, other))
    world(cmd.ChangeRoles(other, root, ("auditor",)))  # `second` is active again
    world(cmd.RemoveUser(other, teller))
    assert world.lock.entered == 5
    assert ("end_sessions", other, 2) in world.credentials.log
    assert ("revoke_all", teller, 2) in world.credentials.log


def test_separation_of_duties_reaches_the_handlers(world):
    root = world.admin()
    with pytest.raises(errors.ForbiddenSelfChange):
        world(cmd.ChangeRoles(root, root, ("administrator",)))
    with pytest.raises(errors.ForbiddenSelfChange):
        world(cmd.SuspendUser(root, root))
    assert world.stream(root) == ["UserRegistered"]


def test_an_api_client_gets_credentials_after_its_event(world):
    result = world(cmd.RegisterApiClient(ROOT, "robot", "teller"))
    assert isinstance(result, ClientCredentials)
    assert (result.version, result.client_id is not None, result.token.startswith("token-")) == (
        1,
        True,
        True,
    )
    assert [(w, n) for w, _, n in world.credentials.log] == [("secret", 1), ("token", 1)]
    plain = world(cmd.RegisterApiClient(ROOT, "plain", "auditor", oauth=False))
    assert (plain.client_id, plain.client_secret) == (None, None)

    rotated = world(cmd.RotateClientSecret(ROOT, result.user_id))
    assert rotated.version == 2 and rotated.client_secret != result.client_secret
    assert [w for w, *_ in world.credentials.log][-3:] == ["revoke_tokens", "secret", "token"]
    kept = world(cmd.RotateClientSecret(ROOT, result.user_id, oauth=False, revoke_earlier=False))
    assert kept.client_id is None and world.credentials.log[-1][0] == "token"

    assert world(cmd.RevokeApiClient(ROOT, result.user_id)).version == 4
    assert world.credentials.log[-1] == ("revoke_all", result.user_id, 4)
    again = world(cmd.RegisterApiClient(ROOT, "robot", "auditor"))
    assert (again.user_id, again.version) == (result.user_id, 5)
    assert world.stream(result.user_id) == [
        "ApiClientRegistered",
        "ClientSecretRotated",
        "ClientSecretRotated",
        "ApiClientRevoked",
        "ApiClientRegistered",
    ]


def test_a_password_change_is_refused_before_anything_for_a_client_or_a_weak_password(world):
    robot = world(cmd.RegisterApiClient(ROOT, "robot", "teller")).user_id
    alice = world(cmd.RegisterUser(ROOT, "alice", "long enough pw", ("teller",))).user_id
    with pytest.raises(errors.WrongKind):
        world(cmd.ChangePassword(ROOT, robot, "long enough pw"))
    with pytest.raises(WeakPassword):
        world(cmd.ChangePassword(ROOT, alice, "short"))
    with pytest.raises(errors.UserNotFound):
        world(cmd.ChangePassword(ROOT, uuid4(), "short"))
    assert world(cmd.ChangePassword(ROOT, alice, "a new long pw")).version == 2
    assert world.credentials.check_password(alice, "a new long pw")
    assert world.credentials.log[-1] == ("password", alice, 2)
