"""manage.py create_administrator: the first administrator through RegisterUser, its password
from standard input (or generated and printed once), stored only as a hash."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.eventstore.documents import EventDocument
from apps.identity.domain.user_ids import user_id_for
from apps.identity.infrastructure import passwords
from apps.identity.models import UserIdentity
from tests.harness import leak_scan
from tests.harness.tokens import ensure_roles

pytestmark = pytest.mark.usefixtures("db", "event_store_db")


@pytest.fixture(autouse=True)
def quick_hashes(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_roles()


def create(name: str, stdin: str, monkeypatch) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("create_administrator", name, stdout=out)
    return out.getvalue().strip()


def test_the_password_comes_from_standard_input(monkeypatch):
    output = create("root", "a long admin password\n", monkeypatch)
    user_id = user_id_for("root")
    assert output == f"created administrator 'root' (id {user_id})"
    assert passwords.check_password(user_id, "a long admin password")
    row = UserIdentity.objects.select_related("user").get(id=user_id)
    assert (row.roles, row.status, row.kind) == ("administrator", "active", "person")
    assert list(row.user.groups.values_list("name", flat=True)) == ["administrators"]
    (doc,) = EventDocument._get_collection().find({"aggregate_id": str(user_id)})
    assert doc["metadata"].get("actor", "system:create_administrator") == (
        "system:create_administrator"
    )
    assert "a long admin password" not in str(doc)


def test_empty_standard_input_generates_a_password_printed_once(monkeypatch):
    output = create("root2", "", monkeypatch)
    password = leak_scan.issued(output.split()[-1])
    assert len(password) >= 30
    assert passwords.check_password(user_id_for("root2"), password)


def test_a_taken_name_or_a_weak_password_is_refused(monkeypatch):
    create("root3", "a long admin password\n", monkeypatch)
    with pytest.raises(CommandError, match="taken"):
        create("ROOT3", "another long password\n", monkeypatch)
    with pytest.raises(CommandError, match="password is refused"):
        create("root4", "short\n", monkeypatch)
    assert not get_user_model().objects.filter(username="root4").exists()
