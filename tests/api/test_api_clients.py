"""create_api_client hands out a role and nothing more; revoke_api_client takes it back."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.harness.tokens import ensure_roles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def roles(db: None) -> None:
    ensure_roles()


def run(name: str, *args: str, **options: str) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out, **options)
    return out.getvalue().strip()


def reads_accounts(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/accounts/").status_code


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (lambda u: setattr(u, "is_superuser", True), "is_superuser"),
        (lambda u: setattr(u, "is_staff", True), "is_staff"),
        (
            lambda u: u.user_permissions.add(Permission.objects.get(codename="execute_commands")),
            "permissions of its own",
        ),
    ],
)
@pytest.mark.parametrize("role", ["auditor", "teller"])
def test_a_user_with_more_than_a_role_gets_no_token(make, named, role):
    user = get_user_model().objects.create_user("boss", password="a-long-password-1")
    make(user)
    user.save()
    with pytest.raises(CommandError, match=named):
        run("create_api_client", "boss", role=role)
    assert not Token.objects.filter(user=user).exists()
    assert not user.groups.exists()


def test_revoking_deletes_the_token_and_the_role_but_keeps_the_user():
    token = run("create_api_client", "branch-7", role="teller").split()[-1]
    other = run("create_api_client", "branch-8", role="auditor").split()[-1]
    user = get_user_model().objects.get(username="branch-7")
    user.groups.add(Group.objects.create(name="newsletter"))
    assert reads_accounts(token) == 200

    output = run("revoke_api_client", "branch-7")

    assert output == "revoked API client 'branch-7': deleted its token; removed it from tellers."
    assert reads_accounts(token) == 401
    assert list(user.groups.values_list("name", flat=True)) == ["newsletter"]
    assert get_user_model().objects.filter(username="branch-7").exists()
    assert reads_accounts(other) == 200  # only the named client lost its access
    again = run("create_api_client", "branch-7", role="auditor").split()[-1]
    assert again != token
    assert reads_accounts(again) == 200


def test_revoking_twice_says_there_was_nothing_left():
    run("create_api_client", "gone", role="auditor")
    run("revoke_api_client", "gone")
    assert run("revoke_api_client", "gone") == (
        "revoked API client 'gone': it had no token; it had no role."
    )


def test_revoking_an_unknown_name_is_an_error():
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run("revoke_api_client", "nobody")
