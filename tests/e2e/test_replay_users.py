"""replay_events rebuilds users, groups, role memberships and the actors' trail identically
from the event store, and leaves every credential working (they are not facts to replay)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from apps.eventstore.documents import EventDocument
from apps.identity.bootstrap import SystemCommands
from apps.identity.domain import commands as cmd
from apps.identity.infrastructure import passwords
from apps.identity.models import ActorAction, UserIdentity
from tests.harness.tokens import ensure_roles, request_oauth_token

pytestmark = pytest.mark.usefixtures("transactional_db", "event_store_db")

TABLES = {
    # last_login is the login's, not the events'.
    "auth_user": "SELECT id, password, is_superuser, username, first_name, last_name, email, "
    "is_staff, is_active, date_joined FROM auth_user ORDER BY id",
    "auth_user_groups": "SELECT user_id, group_id FROM auth_user_groups ORDER BY user_id, group_id",
    "identity_useridentity": "SELECT * FROM identity_useridentity ORDER BY id",
    "identity_actoraction": "SELECT * FROM identity_actoraction ORDER BY event_id",
}


def tables() -> dict[str, list[tuple]]:
    with connection.cursor() as cursor:
        found = {}
        for name, query in TABLES.items():
            cursor.execute(query)
            found[name] = cursor.fetchall()
    return found


@pytest.fixture
def population(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_roles()
    with SystemCommands("test") as system:
        run = system.dispatch
        root = run(cmd.RegisterUser(None, "root", "root password 1", ("administrator",)))
        run(cmd.RegisterUser(None, "root2", "root password 2", ("administrator",)))
        alice = run(cmd.RegisterUser(root.user_id, "alice", "alice password 1", ("teller",)))
        run(cmd.ChangeRoles(root.user_id, alice.user_id, ("auditor", "teller")))
        run(cmd.ChangePassword(root.user_id, alice.user_id, "alice password 2"))
        bob = run(cmd.RegisterUser(root.user_id, "bob", "bob password 1", ("auditor",)))
        run(cmd.SuspendUser(root.user_id, bob.user_id))
        carol = run(cmd.RegisterUser(root.user_id, "carol", "carol password 1", ("teller",)))
        run(cmd.RemoveUser(root.user_id, carol.user_id))
        robot = run(cmd.RegisterApiClient(root.user_id, "robot", "teller"))
        rotated = run(cmd.RotateClientSecret(root.user_id, robot.user_id))
        gone = run(cmd.RegisterApiClient(root.user_id, "gone", "auditor"))
        run(cmd.RevokeApiClient(root.user_id, gone.user_id))
        again = run(cmd.RegisterApiClient(root.user_id, "gone", "teller"))
    # The trail's rows come from the store here as project_users would write them.
    call_command("replay_events", stdout=StringIO(), stderr=StringIO())
    return {"alice": alice, "robot": rotated, "again": again}


def test_replay_rebuilds_the_tables_identically_and_credentials_still_work(population):
    before = tables()
    assert len(before["identity_useridentity"]) == 7
    assert len(before["identity_actoraction"]) == 14  # every event of the 7 streams
    # Damage the projection every way a lost or wrong write could.
    UserIdentity.objects.all().delete()
    ActorAction.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM auth_user_groups")
        cursor.execute("UPDATE auth_user SET is_active = NOT is_active, is_staff = NOT is_staff")

    out = StringIO()
    call_command("replay_events", stdout=out, stderr=StringIO())

    assert "replayed 7 user(s)" in out.getvalue()
    assert tables() == before
    alice = population["alice"].user_id
    assert passwords.check_password(alice, "alice password 2")
    assert not passwords.check_password(alice, "alice password 1")
    for credentials in (population["robot"], population["again"]):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {credentials.token}")
        assert client.get("/api/v1/accounts/").status_code == 200
        granted = request_oauth_token(credentials.client_id, credentials.client_secret)
        assert granted.status_code == 200, granted.content


def test_replay_folds_user_streams_stored_in_reverse_order(population):
    """The identity replay reads the store in stored order (a sorted read of a large store never
    starts on FerretDB): each User stream is folded in version order whatever that order is."""
    before = tables()
    events = EventDocument._get_collection()
    documents = list(events.find({}))
    events.delete_many({})
    events.insert_many(documents[::-1])  # every stream now stored last version first
    assert [d["version"] for d in events.find({"aggregate_type": "User"})][-1] == 1
    UserIdentity.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM auth_user_groups")

    out = StringIO()
    call_command("replay_events", stdout=out, stderr=StringIO())

    assert "replayed 7 user(s)" in out.getvalue()
    assert tables() == before
