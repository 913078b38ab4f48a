"""OAuth2 client credentials at /o/: role-limited scopes, expiry, revocation, introspection, and
the scope every /api/v1/ endpoint requires (found from the URL resolver, so new ones count)."""

import hashlib
import re
from datetime import timedelta
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.conf import global_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application
from rest_framework.test import APIClient
from rest_framework.views import APIView

from apps.eventstore.documents import EventDocument
from tests.harness.routes import every_route
from tests.harness.tokens import ensure_roles, oauth_form_post, request_oauth_token
from tests.support import open_account

READ, WRITE = "accounts:read", "accounts:write"
WRITE_METHODS = ("post", "put", "patch", "delete")
FORM = "application/x-www-form-urlencoded"


# A teller's client reaches none of these (administrators' and auditors' routes): their scopes
# users:read and users:write are held to in tests/api/test_access_matrix.py, with every route's.
IDENTITY_ROUTES = ("api/v1/users/", "api/v1/api-clients/")


def api_endpoints() -> list[tuple[str, str]]:
    """(method, route) for every DRF view under /api/v1/ but the root and the identity routes,
    from the URL resolver."""
    found: list[tuple[str, str]] = []
    for route, callback in every_route():
        view = getattr(callback, "cls", None)
        if route.startswith(IDENTITY_ROUTES):
            continue
        if route.startswith("api/v1/") and route != "api/v1/" and view is not None:
            assert issubclass(view, APIView), route
            methods = [m for m in ("get", *WRITE_METHODS) if hasattr(view, m)]
            found.extend((method, route) for method in methods)
    return found


ENDPOINTS = api_endpoints()


def fill(route: str, account_id: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?\w+>", account_id, route)


def make_client(name: str, role: str) -> tuple[list[str], str, str]:
    """create_api_client --oauth: its output lines, client id and secret."""
    ensure_roles()
    out = StringIO()
    call_command("create_api_client", name, role=role, oauth=True, stdout=out)
    lines = out.getvalue().splitlines()
    return lines, lines[0].removeprefix("client_id="), lines[1].removeprefix("client_secret=")


def token(client_id: str, secret: str, scope: str | None = None) -> str:
    response = request_oauth_token(client_id, secret, scope)
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def bearer(access_token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token}")
    return client


def introspect(client_id: str, secret: str, access_token: str) -> dict:
    response = oauth_form_post("/o/introspect/", {"token": access_token}, client_id, secret)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture(autouse=True)
def quick_secret_hashing(settings):
    # Each token request checks the client secret against its PBKDF2 hash (about a second on
    # a busy test machine); the create_api_client test below checks the default hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def machine(teller, db):
    """A teller's OAuth2 client (and an open account to aim at)."""
    _, client_id, secret = make_client("machine", "teller")
    return client_id, secret, open_account(teller, balance="0.00")


def test_the_endpoint_walk_finds_every_known_endpoint():
    for expected in [
        ("post", "api/v1/accounts/open/"),
        ("post", "api/v1/accounts/<str:account_id>/deposit/"),
        ("post", "api/v1/accounts/<str:account_id>/withdraw/"),
        ("post", "api/v1/accounts/<str:account_id>/close/"),
        ("get", "api/v1/accounts/<str:account_id>/events/"),
        ("get", "api/v1/accounts/"),
        ("get", "api/v1/accounts/<str:account_id>/"),
    ]:
        assert expected in ENDPOINTS


@pytest.mark.parametrize(("method", "route"), ENDPOINTS, ids=[f"{m} {r}" for m, r in ENDPOINTS])
def test_every_endpoint_requires_its_scope(machine, method, route):
    client_id, secret, account_id = machine
    path = fill(route, account_id)
    needed, other = (WRITE, READ) if method in WRITE_METHODS else (READ, WRITE)
    stored = EventDocument._get_collection().count_documents({})

    refused = getattr(bearer(token(client_id, secret, other)), method)(path, {}, format="json")
    assert refused.status_code == 403, refused.content
    assert refused.json()["code"] == "insufficient_scope"
    assert needed in refused.json()["detail"]
    assert EventDocument._get_collection().count_documents({}) == stored

    allowed = getattr(bearer(token(client_id, secret, needed)), method)(path, {}, format="json")
    assert allowed.status_code not in (401, 403), allowed.content


@pytest.mark.parametrize(("method", "route"), [e for e in ENDPOINTS if e[0] in WRITE_METHODS])
def test_an_auditors_read_token_is_refused_on_every_command(auditor, method, route):
    _, client_id, secret = make_client("reader", "auditor")
    response = getattr(bearer(token(client_id, secret, READ)), method)(
        fill(route, "00000000-0000-0000-0000-000000000000"), {}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] in ("insufficient_scope", "permission_denied")


def test_a_write_token_runs_commands_and_a_read_token_reads_the_history(machine):
    client_id, secret, account_id = machine
    writer = bearer(token(client_id, secret, WRITE))
    deposit = writer.post(f"/api/v1/accounts/{account_id}/deposit/", {"amount": "5.00"})
    assert (deposit.status_code, deposit.json()["version"]) == (200, 2)

    history = bearer(token(client_id, secret, READ)).get(f"/api/v1/accounts/{account_id}/events/")
    assert history.status_code == 200
    assert [e["event_type"] for e in history.json()["events"]][-1] == "FundsDeposited"


def test_the_token_answer_has_the_roles_scopes_and_the_expiry_setting(machine):
    client_id, secret, _ = machine
    body = request_oauth_token(client_id, secret).json()
    assert set(body["scope"].split()) == {READ, WRITE}
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 3600)
    assert "refresh_token" not in body


def test_an_auditor_cannot_obtain_the_write_scope(auditor):
    _, client_id, secret = make_client("reader", "auditor")
    for scope in (WRITE, f"{READ} {WRITE}"):
        response = request_oauth_token(client_id, secret, scope)
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_scope"
    # Auditors read accounts, and users (who an actor is): every scope but the writing ones.
    assert request_oauth_token(client_id, secret).json()["scope"] == f"{READ} users:read"
    for scope in ("users:write", f"{READ} users:write"):
        response = request_oauth_token(client_id, secret, scope)
        assert (response.status_code, response.json()["error"]) == (400, "invalid_scope")


def test_a_wrong_secret_or_an_unknown_scope_is_a_json_error(machine):
    client_id, secret, _ = machine
    wrong = request_oauth_token(client_id, "x" + secret)
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    unknown = request_oauth_token(client_id, secret, "admin")
    assert (unknown.status_code, unknown.json()["error"]) == (400, "invalid_scope")


def test_an_expired_token_is_refused(machine):
    client_id, secret, _ = machine
    access_token = token(client_id, secret, READ)
    client = bearer(access_token)
    assert client.get("/api/v1/accounts/").status_code == 200
    AccessToken.objects.update(expires=timezone.now() - timedelta(seconds=1))

    response = client.get("/api/v1/accounts/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert introspect(client_id, secret, access_token) == {"active": False}


def test_a_revoked_token_is_refused(machine):
    client_id, secret, account_id = machine
    access_token = token(client_id, secret, WRITE)
    client = bearer(access_token)
    path = f"/api/v1/accounts/{account_id}/deposit/"
    assert client.post(path, {"amount": "1.00"}).status_code == 200

    revoked = oauth_form_post("/o/revoke_token/", {"token": access_token}, client_id, secret)
    assert revoked.status_code == 200
    response = client.post(path, {"amount": "1.00"})

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert introspect(client_id, secret, access_token) == {"active": False}


def test_introspection_tells_scope_expiry_and_client(machine):
    client_id, secret, _ = machine
    access_token = token(client_id, secret, READ)
    row = AccessToken.objects.get()

    body = introspect(client_id, secret, access_token)

    assert body["active"] is True
    assert (body["scope"], body["client_id"]) == (READ, client_id)
    assert body["exp"] == int(row.expires.timestamp())
    assert 3590 <= body["exp"] - timezone.now().timestamp() <= 3600
    assert introspect(client_id, secret, "no-such-token") == {"active": False}
    anonymous = APIClient().post(
        "/o/introspect/", urlencode({"token": access_token}), content_type=FORM
    )
    assert anonymous.status_code in (401, 403)
    assert "active" not in anonymous.content.decode()


def test_the_clients_role_still_applies_to_its_tokens(machine):
    client_id, secret, account_id = machine
    client = bearer(token(client_id, secret, WRITE))
    # Moved to auditor: a write token it still holds runs no command.
    make_client("machine", "auditor")
    response = client.post(f"/api/v1/accounts/{account_id}/deposit/", {"amount": "1.00"})
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    # Deactivated: its tokens stop working at all.
    get_user_model().objects.filter(username="machine").update(is_active=False)
    assert client.get("/api/v1/accounts/").status_code == 401
    refused = request_oauth_token(client_id, secret)
    assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")


def test_create_api_client_oauth_prints_credentials_then_a_working_token(teller, settings):
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    lines, client_id, secret = make_client("script", "teller")

    assert len(lines) == 3
    assert lines[0] == f"client_id={client_id}" and re.fullmatch(r"\w{20,}", client_id)
    assert lines[1] == f"client_secret={secret}" and len(secret) >= 32
    drf = APIClient()
    drf.credentials(HTTP_AUTHORIZATION=f"Token {lines[2].split()[-1]}")
    assert drf.get("/api/v1/accounts/").status_code == 200
    assert token(client_id, secret)
    # The secret is stored hashed; a second run rotates it and keeps the one application.
    assert Application.objects.get().client_secret.startswith("pbkdf2_sha256$")
    again, same_id, new_secret = make_client("script", "teller")
    assert (same_id, Application.objects.count()) == (client_id, 1)
    assert again[2].split()[-1] != lines[2].split()[-1]  # a new API token too (printed once)
    assert request_oauth_token(client_id, secret).status_code == 401
    assert token(client_id, new_secret)


def test_without_oauth_the_output_is_unchanged(teller):
    out = StringIO()
    call_command("create_api_client", "plain", role="auditor", stdout=out)
    assert out.getvalue().count("\n") == 1 and "client_id" not in out.getvalue()
    assert not Application.objects.exists()


def test_the_schema_names_the_scope_of_each_operation(db):
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    flows = schema["components"]["securitySchemes"]["oauth2"]["flows"]
    assert flows["clientCredentials"]["tokenUrl"] == "/o/token/"
    assert flows["authorizationCode"]["authorizationUrl"] == "/o/authorize/"
    assert flows["authorizationCode"]["tokenUrl"] == "/o/token/"
    assert "password" not in flows and "implicit" not in flows
    paths = schema["paths"]
    assert {"oauth2": [WRITE]} in paths["/api/v1/accounts/open/"]["post"]["security"]
    assert {"oauth2": [READ]} in paths["/api/v1/accounts/{account_id}/"]["get"]["security"]


@pytest.mark.parametrize("path", ["/o/token/", "/o/introspect/", "/o/revoke_token/"])
def test_the_provider_answers_json_errors(db, path):
    response = APIClient().put(path, "x", content_type="text/plain")
    assert response.status_code in (400, 401, 403, 405)
    assert response["Content-Type"].startswith("application/json")
    assert response.json().keys() & {"code", "error"}


# --- RFC 9700: tokens at rest, tokens in URLs, the endpoints served ---------------------------


def test_access_tokens_are_stored_as_checksums_only(machine):
    client_id, secret, _ = machine
    access_token = token(client_id, secret, READ)
    row = AccessToken.objects.get()
    assert row.token == ""
    assert row.token_checksum == hashlib.sha256(access_token.encode()).hexdigest()
    assert bearer(access_token).get("/api/v1/accounts/").status_code == 200


@pytest.mark.parametrize("parameter", ["access_token", "token", "client_secret"])
def test_a_credential_in_the_query_string_is_refused(machine, parameter):
    client_id, secret, account_id = machine
    access_token = token(client_id, secret, READ)
    for client in (APIClient(), bearer(access_token)):
        response = client.get(f"/api/v1/accounts/{account_id}/?{parameter}={access_token}")
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "credential_in_query"


def test_an_access_token_in_the_query_string_never_authenticates_at_the_provider(machine):
    client_id, secret, _ = machine
    access_token = token(client_id, secret, READ)
    response = APIClient().get(f"/o/introspect/?token={access_token}")
    assert (response.status_code, response.json()["code"]) == (400, "credential_in_query")
    response = APIClient().post(
        f"/o/introspect/?access_token={access_token}",
        urlencode({"token": access_token}),
        content_type=FORM,
    )
    assert (response.status_code, response.json()["code"]) == (400, "credential_in_query")
    # With no credential in it, oauthlib still refuses any query string on a POST.
    response = oauth_form_post(
        "/o/token/?x=1", {"grant_type": "client_credentials"}, client_id, secret
    )
    assert response.status_code == 400 and "access_token" not in response.json()


@pytest.mark.parametrize(
    "path",
    [
        "/o/applications/",
        "/o/applications/register/",
        "/o/authorized_tokens/",
        "/o/.well-known/oauth-authorization-server",
        "/o/device-authorization/",
        "/o/userinfo/",
    ],
)
def test_only_the_token_revoke_introspect_and_authorize_endpoints_are_served(db, path):
    # /o/authorize/ (people's authorization code + PKCE): tests/api/test_people_oauth.py.
    assert APIClient().get(path).status_code == 404


def test_the_password_grant_is_refused(machine):
    client_id, secret, _ = machine
    body = {"grant_type": "password", "username": "machine", "password": "x"}
    response = oauth_form_post("/o/token/", body, client_id, secret)
    # RFC 9700 section 2.4: not built into the server at all (api_platform/oauth_grants.py).
    assert (response.status_code, response.json()["error"]) == (400, "unsupported_grant_type")


def test_a_client_learns_nothing_by_introspecting_another_clients_token(machine, auditor):
    client_id, secret, _ = machine
    _, other_id, other_secret = make_client("stranger", "auditor")
    theirs = token(other_id, other_secret, READ)
    mine = token(client_id, secret, READ)

    assert introspect(client_id, secret, theirs) == {"active": False}
    assert introspect(other_id, other_secret, mine) == {"active": False}
    assert introspect(client_id, secret, mine)["active"] is True
    assert introspect(other_id, other_secret, theirs)["client_id"] == other_id


def test_a_client_cannot_revoke_another_clients_token(machine, auditor):
    client_id, secret, _ = machine
    _, other_id, other_secret = make_client("stranger", "auditor")
    theirs = token(other_id, other_secret, READ)
    response = oauth_form_post("/o/revoke_token/", {"token": theirs}, client_id, secret)
    assert response.status_code == 200  # RFC 7009: the same answer whatever the token
    assert bearer(theirs).get("/api/v1/accounts/").status_code == 200
