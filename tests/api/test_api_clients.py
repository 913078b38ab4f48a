"""create_api_client hands out a role and nothing more, and a token stored only as a digest
that expires; revoke_api_client takes every credential back, for good."""

import importlib
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from oauth2_provider.models import AccessToken, Application, RefreshToken
from rest_framework.authtoken.models import Token as PlainToken
from rest_framework.test import APIClient

from tests.harness import leak_scan
from tests.harness.tokens import ensure_roles, request_oauth_token
from tests.support import wait_until

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def roles(db: None) -> None:
    ensure_roles()


def run(name: str, *args: str, **options: Any) -> str:
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
    assert not AuthToken.objects.filter(user=user).exists()
    assert not user.groups.exists()


def test_revoking_deletes_the_token_and_the_role_but_keeps_the_user():
    token = run("create_api_client", "branch-7", role="teller").split()[-1]
    other = run("create_api_client", "branch-8", role="auditor").split()[-1]
    user = get_user_model().objects.get(username="branch-7")
    user.groups.add(Group.objects.create(name="newsletter"))
    assert reads_accounts(token) == 200

    output = run("revoke_api_client", "branch-7")

    assert output == (
        "revoked API client 'branch-7': deleted 1 API token(s); removed it from tellers."
    )
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
        "revoked API client 'gone': it had no credentials; it had no role."
    )


def test_revoking_an_unknown_name_is_an_error():
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run("revoke_api_client", "nobody")


# --- tokens at rest -----------------------------------------------------------------------


def test_a_token_is_stored_as_its_digest_only_and_expires_after_the_setting(settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(days=3)}
    token = run("create_api_client", "vault", role="auditor").split()[-1]

    row = AuthToken.objects.get(user__username="vault")
    assert row.digest == hash_token(token) and token not in row.digest
    assert len(token) == 64 and row.token_key == token[:15]  # knox's lookup prefix, no more
    assert abs(row.expiry - (timezone.now() + timedelta(days=3))) < timedelta(minutes=1)
    assert reads_accounts(token) == 200


def test_an_expired_token_is_refused_and_deleted(settings):
    settings.AUTH_CACHE_SECONDS = 60  # an answer remembered must not outlive the token either
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(seconds=1)}
    token = run("create_api_client", "late", role="auditor").split()[-1]
    assert reads_accounts(token) == 200  # and now remembered by this process
    expiry = AuthToken.objects.get(user__username="late").expiry
    wait_until(lambda: timezone.now() > expiry, timeout=5)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/v1/accounts/")
    assert (response.status_code, response.json()["code"]) == (401, "authentication_failed")
    assert not AuthToken.objects.filter(user__username="late").exists()


def test_the_migration_keeps_an_existing_drf_token_working_hashed():
    """A client enrolled before knox keeps sending the very same token string."""
    user = get_user_model().objects.create_user("legacy")
    user.groups.add(Group.objects.get(name="auditors"))
    legacy = PlainToken.objects.create(user=user).key
    migration = importlib.import_module("apps.accounts_command.migrations.0003_hash_api_tokens")

    migration.hash_tokens(apps, None)

    assert not PlainToken.objects.exists()  # no token is left in clear
    row = AuthToken.objects.get(user=user)
    assert row.digest == hash_token(legacy) and row.expiry > timezone.now() + timedelta(days=89)
    assert reads_accounts(legacy) == 200
    migration.hash_tokens(apps, None)  # run again: nothing changes, nothing fails
    assert AuthToken.objects.filter(user=user).count() == 1


def test_the_migration_blanks_stored_oauth_tokens(db):
    user = get_user_model().objects.create_user("old-machine")
    application = Application.objects.create(
        user=user, client_type="confidential", authorization_grant_type="client-credentials"
    )
    expires = timezone.now() + timedelta(hours=1)
    access = AccessToken(user=user, application=application, expires=expires, scope="x")
    access.token = "plain-access-token-from-before"  # as the toolkit stored it until now
    access._raw_token = None
    access.save()
    migration = importlib.import_module("apps.accounts_command.migrations.0003_hash_api_tokens")

    migration.hash_tokens(apps, None)

    access.refresh_from_db()
    assert access.token == "" and len(access.token_checksum) == 64


def test_the_admin_lists_tokens_without_showing_any(admin_client):
    token = run("create_api_client", "listed", role="auditor").split()[-1]
    page = admin_client.get("/admin/knox/authtoken/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "listed" in text
    # Nor its first characters (knox's lookup key); the digest is the row's key in links.
    assert token not in text and token[:15] not in text
    assert admin_client.get("/admin/knox/authtoken/add/").status_code == 403
    assert admin_client.get("/admin/authtoken/tokenproxy/").status_code == 404


# --- revoking is for good -------------------------------------------------------------------


def oauth_client(name: str, role: str) -> tuple[str, str]:
    lines = run("create_api_client", name, role=role, oauth=True).splitlines()
    return lines[0].removeprefix("client_id="), lines[1].removeprefix("client_secret=")


def bearer_reads(access_token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token}")
    return client.get("/api/v1/accounts/").status_code


@pytest.fixture
def quick_secrets(settings):
    # A PBKDF2 check of the client secret per token request is slow on a busy machine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("again", [[], ["--oauth"]], ids=["plain", "oauth"])
def test_re_enrolling_a_revoked_name_never_revives_its_credentials(quick_secrets, again):
    """issue 18: revoke_api_client NAME, then create_api_client NAME --role teller: the old
    OAuth client secret, its tokens and the old API token must stay dead."""
    client_id, secret = oauth_client("robot", "teller")
    api_token = run("create_api_client", "robot", role="teller").split()[-1]
    access = request_oauth_token(client_id, secret).json()["access_token"]
    user = get_user_model().objects.get(username="robot")
    application = Application.objects.get(client_id=client_id)
    RefreshToken.objects.create(  # none is issued by client credentials; one left from before
        user=user, application=application, token="r" * 30, access_token=AccessToken.objects.get()
    )
    assert bearer_reads(access) == 200 and reads_accounts(api_token) == 200

    output = run("revoke_api_client", "robot")

    assert output == (
        "revoked API client 'robot': deleted 2 API token(s), 1 OAuth2 application(s), "
        "2 OAuth2 token(s); removed it from tellers."
    )
    assert not Application.objects.filter(user=user).exists()
    assert not AccessToken.objects.exists() and not RefreshToken.objects.exists()
    run("create_api_client", "robot", "--role", "teller", *again)

    refused = request_oauth_token(client_id, secret)
    assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")
    assert bearer_reads(access) == 401
    assert reads_accounts(api_token) == 401
    if again:  # a new application, with a new id and secret, and only that works
        new = Application.objects.get(user=user)
        assert new.client_id != client_id


def test_revoking_leaves_other_clients_credentials_alone(quick_secrets):
    mine = oauth_client("mine", "teller")
    theirs = oauth_client("theirs", "auditor")
    their_access = request_oauth_token(*theirs).json()["access_token"]
    request_oauth_token(*mine)

    run("revoke_api_client", "mine")

    assert request_oauth_token(*theirs).status_code == 200
    assert bearer_reads(their_access) == 200
    assert request_oauth_token(*mine).status_code == 401


def test_every_secret_this_process_issues_is_registered_for_the_log_scan(quick_secrets):
    """tests/harness/leak_scan.py watches issuance, so the e2e log scan looks for these too."""
    client_id, secret = oauth_client("watched", "teller")
    token = run("create_api_client", "watched", role="teller").split()[-1]
    access = request_oauth_token(client_id, secret).json()["access_token"]
    assert {secret, token, access} <= leak_scan.ISSUED
