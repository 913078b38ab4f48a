"""Password logins (admin, browsable API) lock after AXES_FAILURE_LIMIT failures; tokens do not."""

import pytest
from django.conf import settings
from django.test import Client
from knox.models import AuthToken

from tests.harness.people import register_person

PASSWORD = "a-long-right-password"
LOGINS = ["/api-auth/login/", "/admin/login/"]


@pytest.fixture
def staff(db: None) -> object:
    # A person (the only kind that logs in with a password), staff like every person.
    user = register_person("ops", PASSWORD, roles=("teller",))
    user.api_token = AuthToken.objects.create(user=user)[1]
    return user


def login(client: Client, path: str, password: str) -> object:
    return client.post(path, {"username": "ops", "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("path", LOGINS)
def test_the_right_password_logs_in_before_any_failure(staff, path):
    client = Client()
    assert login(client, path, PASSWORD).status_code == 302
    assert logged_in(client)


@pytest.mark.parametrize("path", LOGINS)
def test_failed_logins_lock_out_even_the_right_password(staff, path):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, path, "wrong")
        assert response.status_code == 200  # the form again, with its error
    locked = login(client, path, "wrong")
    for response in (locked, login(client, path, PASSWORD)):
        assert response.status_code == 429
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "too_many_login_attempts"
        assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert not logged_in(client)
    # The other form is locked too: the limit is on the user name from this address.
    other_form = next(p for p in LOGINS if p != path)
    assert login(Client(), other_form, PASSWORD).status_code == 429


def test_a_lockout_is_per_address_and_leaves_tokens_alone(staff):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), "/admin/login/", "wrong")
    assert login(Client(), "/admin/login/", PASSWORD).status_code == 429
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    assert login(elsewhere, "/admin/login/", PASSWORD).status_code == 302
    token = staff.api_token
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get("/api/v1/accounts/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
