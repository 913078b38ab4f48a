"""People's passwords: Argon2 in the credential store, Django's validators, hash upgrades, and
the one backend that logs a person in (never an API client, a suspended person or a Django
user's own password column)."""

from uuid import uuid4

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import make_password
from django.test import Client, RequestFactory

from apps.identity.infrastructure import passwords
from apps.identity.models import Credential
from tests.harness.people import register_person, suspend

PASSWORD = "correct-horse-battery-41"
NAME = "tessellate"


def authenticate_as(username: str, password: str):
    # django-axes, first of the backends, needs the request (it counts per address).
    return authenticate(
        RequestFactory().post("/admin/login/"), username=username, password=password
    )


@pytest.fixture
def teller(db):
    return register_person(NAME, PASSWORD, roles=("teller",))


def test_a_password_is_stored_as_argon2_and_checked(db):
    user_id = uuid4()
    passwords.set_password(user_id, PASSWORD)
    stored = Credential.objects.get(user_id=user_id).password_hash
    assert stored.startswith("argon2$argon2id$") and PASSWORD not in stored
    assert passwords.check_password(user_id, PASSWORD)
    assert not passwords.check_password(user_id, PASSWORD + "x")
    assert not passwords.check_password(uuid4(), PASSWORD)  # no credential: no


@pytest.mark.parametrize(
    ("weak", "reason"),
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("8273649182736", "entirely numeric"),
        ("tessellate99", "too similar"),
    ],
)
def test_a_weak_password_is_refused_with_the_reason(teller, weak, reason):
    identity = teller.identity
    with pytest.raises(passwords.WeakPassword) as refused:
        passwords.set_password(identity.id, weak)
    assert refused.value.code == "weak_password"
    assert any(reason in message for message in refused.value.messages)
    assert weak not in str(refused.value)
    assert passwords.check_password(identity.id, PASSWORD)  # the old one stays


def test_an_older_hash_is_upgraded_to_argon2_at_the_next_check(db):
    user_id = uuid4()
    Credential.objects.create(
        user_id=user_id, password_hash=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )
    assert passwords.check_password(user_id, PASSWORD)
    assert Credential.objects.get(user_id=user_id).password_hash.startswith("argon2$")
    assert passwords.check_password(user_id, PASSWORD)


def test_a_person_logs_in_by_name_and_password(teller):
    assert authenticate_as(NAME, PASSWORD) == teller
    assert authenticate_as(NAME.upper(), PASSWORD) == teller  # names ignore case
    assert authenticate_as(NAME, "wrong-password-77") is None
    assert authenticate_as("nobody", PASSWORD) is None
    assert not teller.has_usable_password()  # the Django column is never what is checked


def test_a_suspended_person_cannot_log_in(teller):
    suspend(teller)
    assert authenticate_as(NAME, PASSWORD) is None


def test_an_api_client_never_logs_in_with_a_password(db):
    register_person("robot-1", PASSWORD, roles=("teller",), kind="api_client")
    assert authenticate_as("robot-1", PASSWORD) is None


def test_a_django_password_outside_the_credential_store_logs_nobody_in(db):
    get_user_model().objects.create_superuser("root", "r@example.com", PASSWORD)
    assert authenticate_as("root", PASSWORD) is None


@pytest.mark.parametrize("path", ["/admin/login/", "/api-auth/login/"])
def test_the_admin_and_the_browsable_api_take_a_persons_password(teller, path):
    client = Client()
    response = client.post(path, {"username": NAME, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(teller.pk)


def test_a_suspension_ends_an_admin_session_at_its_next_request(teller):
    client = Client()
    client.post("/admin/login/", {"username": NAME, "password": PASSWORD})
    assert client.get("/admin/").status_code == 200
    suspend(teller)
    # Django reads the user (and is_active) on every request: no cache to wait for.
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
