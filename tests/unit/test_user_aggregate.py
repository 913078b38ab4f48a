"""The User aggregate's rules, one by one, and its events through the codec. No I/O."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from apps.contract import user_events as contract
from apps.identity.domain import errors
from apps.identity.domain import events as ev
from apps.identity.domain.user import User
from apps.identity.domain.user_ids import user_id_for
from apps.identity.infrastructure.event_codec import EVENT_CLASSES, from_stored, to_stored

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def person(name: str = "alice", roles: tuple[str, ...] = ("teller",)) -> User:
    user = User(user_id_for(name), clock=lambda: NOW)
    user.register(name, roles, "Alice A.")
    return user


def client(name: str = "robot", role: str = "teller") -> User:
    user = User(user_id_for(name), clock=lambda: NOW)
    user.register_api_client(name, role)
    return user


def rebuilt(user: User) -> User:
    """The user as the store gives it back: its events through the codec, folded."""
    stored = [to_stored(event) for event in user.pull_pending_events()]
    return User.rebuild(user.id, [from_stored(s) for s in stored], clock=lambda: NOW)


def test_registration_records_one_event_with_sorted_roles():
    user = person(roles=("teller", "auditor"))
    (event,) = user.pull_pending_events()
    assert isinstance(event, ev.UserRegistered)
    assert (event.version, event.username, event.roles) == (1, "alice", ("auditor", "teller"))
    assert (user.kind, user.status, user.version) == ("person", "active", 1)


def test_a_name_is_registered_once_whatever_its_case():
    user = rebuilt(person("Alice"))
    assert user.id == user_id_for("aLICE")
    with pytest.raises(errors.UsernameTaken):
        user.register("aLICE", ("teller",), "")
    with pytest.raises(errors.UsernameTaken):
        user.register_api_client("alice", "teller")


def test_the_id_must_be_the_names():
    with pytest.raises(ValueError):
        User(uuid4()).register("alice", ("teller",), "")


def test_a_removed_name_may_be_registered_again_and_its_stream_continues():
    user = person()
    user.remove(actor_id=uuid4(), other_administrators=0)
    user = rebuilt(user)
    assert (user.status, user.roles, user.exists) == ("removed", (), False)
    user.register_api_client("alice", "auditor")
    (event,) = user.pull_pending_events()
    assert (event.version, user.kind, user.roles, user.status) == (
        3,
        "api_client",
        ("auditor",),
        "active",
    )


@pytest.mark.parametrize(
    "roles",
    [(), ("teller", "teller"), ("banker",), ("administrator", "teller"), ("Teller",)],
)
def test_invalid_roles_are_refused(roles):
    with pytest.raises(errors.InvalidRoles):
        person(roles=roles)


@pytest.mark.parametrize("name", ["", "with space", "x" * 151, "ünïcode", "new\nline"])
def test_invalid_usernames_are_refused(name):
    with pytest.raises(errors.InvalidUsername):
        User(user_id_for(name)).register(name, ("teller",), "")


def test_a_display_name_is_bounded_and_printable():
    user = rebuilt(person())
    with pytest.raises(errors.InvalidUsername):
        user.update_profile("x" * 151)
    with pytest.raises(errors.InvalidUsername):
        user.update_profile("bell\x07")
    user.update_profile("  Alice B.  ")
    assert user.display_name == "Alice B."
    user.update_profile("Alice B.")  # no change, no event
    assert [type(e) for e in user.pull_pending_events()] == [ev.ProfileUpdated]


def test_nobody_changes_their_own_roles_or_status():
    user = rebuilt(person(roles=("administrator",)))
    for decide in (
        lambda: user.change_roles(("auditor",), user.id, 5),
        lambda: user.suspend(user.id, 5),
        lambda: user.remove(user.id, 5),
    ):
        with pytest.raises(errors.ForbiddenSelfChange):
            decide()
    user.suspend(uuid4(), 5)
    with pytest.raises(errors.ForbiddenSelfChange):
        user.reinstate(user.id)
    robot = rebuilt(client())
    with pytest.raises(errors.ForbiddenSelfChange):
        robot.revoke_api_client(robot.id, 0)
    assert user.version == 2  # only the other's suspension


def test_the_last_active_administrator_stays_one():
    admin = rebuilt(person("root", ("administrator",)))
    other = uuid4()
    for decide in (
        lambda: admin.change_roles(("teller",), other, 0),
        lambda: admin.suspend(other, 0),
        lambda: admin.remove(other, 0),
    ):
        with pytest.raises(errors.LastAdministrator):
            decide()
    bot = rebuilt(client("root-bot", "administrator"))
    with pytest.raises(errors.LastAdministrator):
        bot.revoke_api_client(other, 0)
    admin.change_roles(("administrator",), other, 0)  # staying one is no demotion
    assert admin.pull_pending_events() == []
    admin.suspend(other, 1)  # with another active administrator, it may go
    assert admin.status == "suspended"


def test_a_suspended_administrator_is_not_counted_as_the_last():
    admin = person("root", ("administrator",))
    admin.suspend(uuid4(), 1)
    admin = rebuilt(admin)
    assert not admin.is_active_administrator
    admin.remove(uuid4(), 0)  # no active administrator is lost
    assert admin.status == "removed"


def test_status_moves_only_along_its_transitions():
    user = rebuilt(person())
    actor = uuid4()
    with pytest.raises(errors.UserNotSuspended):
        user.reinstate(actor)
    user.suspend(actor, 0)
    with pytest.raises(errors.UserNotActive):
        user.suspend(actor, 0)
    user.reinstate(actor)
    assert user.status == "active"
    user.remove(actor, 0)
    for decide in (
        lambda: user.suspend(actor, 0),
        lambda: user.reinstate(actor),
        lambda: user.change_password(),
        lambda: user.update_profile("x"),
        lambda: user.remove(actor, 0),
    ):
        with pytest.raises(errors.UserRemoved):
            decide()


def test_an_unknown_user_is_not_found():
    user = User(uuid4())
    for decide in (
        lambda: user.change_password(),
        lambda: user.suspend(None, 1),
        lambda: user.rotate_client_secret(),
        lambda: user.change_roles(("teller",), None, 1),
    ):
        with pytest.raises(errors.UserNotFound):
            decide()


def test_commands_of_the_wrong_kind_are_refused():
    alice = rebuilt(person())
    robot = rebuilt(client())
    with pytest.raises(errors.WrongKind):
        alice.rotate_client_secret()
    with pytest.raises(errors.WrongKind):
        alice.revoke_api_client(uuid4(), 1)
    with pytest.raises(errors.WrongKind):
        robot.change_password()
    with pytest.raises(errors.WrongKind):  # a client holds exactly one role
        robot.change_roles(("auditor", "teller"), uuid4(), 1)
    robot.change_roles(("auditor",), uuid4(), 1)
    robot.rotate_client_secret()
    assert [type(e) for e in robot.pull_pending_events()] == [
        ev.RolesChanged,
        ev.ClientSecretRotated,
    ]


def test_the_codec_matches_the_contract_and_round_trips():
    assert set(EVENT_CLASSES) == set(contract.EVENTS)
    user = person()
    user.change_password()
    user.suspend(uuid4(), 0)
    for event in user.pull_pending_events():
        stored = to_stored(event, {"actor": "system:test"})
        assert stored.aggregate_type == contract.AGGREGATE_TYPE
        assert set(stored.data) == set(contract.EVENTS[stored.event_type].fields)
        assert from_stored(stored) == event
    assert "password" not in str(to_stored(ev.PasswordChanged(uuid4(), uuid4(), 1, NOW)).data)
