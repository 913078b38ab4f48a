"""The identity commands on the real store and MySQL: Django's users, groups and UserIdentity
rows follow the events (version-guarded), credentials work, the last administrator stays."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from knox.models import AuthToken
from oauth2_provider.models import Application

from apps.identity.bootstrap import identity, identity_commands
from apps.identity.domain import commands as cmd
from apps.identity.domain import errors
from apps.identity.infrastructure import passwords
from apps.identity.infrastructure.repository import user_events
from apps.identity.models import UserIdentity
from tests import wired
from tests.harness.tokens import ensure_roles

pytestmark = pytest.mark.usefixtures("db", "event_store_db")


@pytest.fixture
def commands(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_roles()
    return identity_commands(wired.get().event_store).dispatch


def roles_of(name: str) -> list[str]:
    user = get_user_model().objects.get(username=name)
    return sorted(user.groups.values_list("name", flat=True))


def test_a_person_is_projected_into_django_with_its_roles(commands):
    result = commands(cmd.RegisterUser(None, "alice", "a long password 1", ("auditor", "teller")))
    row = UserIdentity.objects.select_related("user").get(id=result.user_id)
    assert (row.username, row.kind, row.roles, row.status, row.version) == (
        "alice",
        "person",
        "auditor,teller",
        "active",
        1,
    )
    assert (row.user.is_active, row.user.is_staff, row.user.has_usable_password()) == (
        True,
        True,
        False,
    )
    assert roles_of("alice") == ["auditors", "tellers"]
    assert passwords.check_password(result.user_id, "a long password 1")
    assert not passwords.check_password(result.user_id, "a long password 2")

    root = commands(cmd.RegisterUser(None, "root", "a long password 1", ("administrator",)))
    commands(cmd.SuspendUser(root.user_id, result.user_id))
    row.refresh_from_db()
    row.user.refresh_from_db()
    assert (row.status, row.user.is_active, row.version) == ("suspended", False, 2)
    commands(cmd.RemoveUser(root.user_id, result.user_id))
    assert roles_of("alice") == []
    assert not passwords.check_password(result.user_id, "a long password 1")
    with pytest.raises(errors.LastAdministrator):
        commands(cmd.SuspendUser(None, root.user_id))


def test_the_projection_never_moves_back_and_a_replayed_fold_is_a_no_op(commands):
    result = commands(cmd.RegisterUser(None, "bob", "a long password 1", ("teller",)))
    commands(cmd.UpdateProfile(None, result.user_id, "Bob B."))
    parts = wired.get().event_store
    projection = identity(parts).projection
    events = user_events(parts.store, result.user_id)
    assert projection.apply(result.user_id, events[:1]) is False  # stale: version 1 < 2
    assert projection.apply(result.user_id, events) is False
    assert UserIdentity.objects.get(id=result.user_id).display_name == "Bob B."


def test_an_api_client_gets_a_token_and_an_oauth_application(commands):
    result = commands(cmd.RegisterApiClient(None, "robot", "teller"))
    assert AuthToken.objects.filter(user__username="robot").count() == 1
    application = Application.objects.get(user__username="robot")
    assert application.client_id == result.client_id
    assert roles_of("robot") == ["tellers"]
    assert get_user_model().objects.get(username="robot").is_staff is False
    commands(cmd.RevokeApiClient(None, result.user_id))
    assert not AuthToken.objects.filter(user__username="robot").exists()
    assert not Application.objects.filter(user__username="robot").exists()
    assert roles_of("robot") == []


def test_a_name_of_a_django_user_with_rights_of_its_own_is_taken(commands):
    get_user_model().objects.create_superuser("admin", password="x-long-password-1")
    with pytest.raises(errors.UsernameTaken):
        commands(cmd.RegisterApiClient(None, "admin", "teller"))
    plain = get_user_model().objects.create_user("legacy")
    plain.groups.add(Group.objects.get(name="auditors"))
    adopted = commands(cmd.RegisterApiClient(None, "legacy", "teller", oauth=False))
    assert UserIdentity.objects.get(id=adopted.user_id).user_id == plain.pk
    assert roles_of("legacy") == ["tellers"]
