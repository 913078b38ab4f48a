"""OAuth2 for people: authorization code with PKCE S256 at /o/authorize/ (login, consent, code,
exchange), scopes bounded by the person's roles, and what is refused: the password grant
(unsupported_grant_type, whatever the application says), no PKCE, plain PKCE, a wrong
verifier, a suspended person."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from oauth2_provider.models import AccessToken, Application
from rest_framework.test import APIClient

from api_platform.oauth_people import ensure_people_application
from tests.harness.people import code_exchange, pkce_pair, register_person, suspend
from tests.harness.tokens import oauth_form_post
from tests.support import command, open_account

PASSWORD = "people-oauth-password-73"
CALLBACK = "http://127.0.0.1:8765/callback"  # a native app's loopback listener (RFC 8252)
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def people_app(db, settings):
    settings.OAUTH_PEOPLE_REDIRECT_URIS = ["http://127.0.0.1/callback", "https://app.example/cb"]
    return ensure_people_application()


@pytest.fixture
def teller_session(people_app) -> Client:
    register_person("tilly", PASSWORD, roles=("teller",))
    return logged_in("tilly")


def logged_in(username: str) -> Client:
    browser = Client()
    response = browser.post("/o/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return browser


def authorize(browser: Client, challenge: str | None, **extra: str):
    query = {
        "response_type": "code",
        "client_id": "techbank-people",
        "redirect_uri": CALLBACK,
        "state": "st-42",
    } | ({"code_challenge": challenge, "code_challenge_method": "S256"} if challenge else {})
    return browser.get("/o/authorize/?" + urlencode(query | extra))


def consent(browser: Client, page) -> dict[str, list[str]]:
    """Posts the consent form as shown (its hidden fields) with Authorize; the redirect's query."""
    assert page.status_code == 200, page.content
    form = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    response = browser.post("/o/authorize/", form | {"allow": "on"})
    assert response.status_code == 302, response.content
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.hostname}{location.path}" == "http://127.0.0.1/callback"
    return parse_qs(location.query)


def token_request(body: dict):
    return APIClient().post("/o/token/", urlencode(body), content_type=FORM)


def test_a_teller_gets_a_token_with_pkce_and_deposits(teller_session, event_store_db):
    verifier, challenge = pkce_pair()
    page = authorize(teller_session, challenge)
    assert [str(s) for s in page.context["scopes_descriptions"]] == [
        "Read accounts, event histories and statements",
        "Run account commands",
    ]
    answer = consent(teller_session, page)
    assert answer["state"] == ["st-42"]
    code = answer["code"][0]

    response = token_request(code_exchange("techbank-people", code, CALLBACK, verifier))
    assert response.status_code == 200, response.content
    token = response.json()
    assert token["scope"] == "accounts:read accounts:write"
    assert "refresh_token" not in token  # a person authorizes again after expires_in
    assert AccessToken.objects.get(token_checksum__isnull=False).user.username == "tilly"

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token['access_token']}")
    account_id = open_account(api, "Mary Jackson", "10.00")
    assert command(api, account_id, "deposit", amount="5.00").status_code == 200
    # A code is used once.
    again = token_request(code_exchange("techbank-people", code, CALLBACK, verifier))
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")


def test_without_pkce_the_authorization_is_refused(teller_session):
    response = authorize(teller_session, challenge=None)
    assert response.status_code == 302
    answer = parse_qs(urlsplit(response["Location"]).query)
    assert answer["error"] == ["invalid_request"]
    assert "code" not in answer


def test_plain_pkce_is_refused(teller_session):
    response = authorize(teller_session, "x" * 43, code_challenge_method="plain")
    answer = parse_qs(urlsplit(response["Location"]).query)
    assert answer["error"] == ["invalid_request"] and "code" not in answer


def test_a_code_without_its_verifier_or_with_another_gets_no_token(teller_session):
    _, challenge = pkce_pair()
    # none (RFC 7636 4.4.1: invalid_request), or another pair's verifier (invalid_grant)
    for sent, error in ((None, "invalid_request"), (pkce_pair()[0], "invalid_grant")):
        code = consent(teller_session, authorize(teller_session, challenge))["code"][0]
        response = token_request(code_exchange("techbank-people", code, CALLBACK, sent))
        assert (response.status_code, response.json()["error"]) == (400, error)
    assert not AccessToken.objects.exists()


def test_an_unregistered_redirect_uri_gets_an_error_page_and_no_redirect(teller_session):
    _, challenge = pkce_pair()
    response = authorize(teller_session, challenge, redirect_uri="https://evil.example/cb")
    assert response.status_code == 400 and not response.has_header("Location")
    assert b"invalid_request" in response.content


def test_scopes_beyond_the_persons_roles_are_refused(people_app):
    register_person("audra", PASSWORD, roles=("auditor",))
    browser = logged_in("audra")
    _, challenge = pkce_pair()
    page = authorize(browser, challenge, scope="accounts:read accounts:write")
    assert parse_qs(urlsplit(page["Location"]).query)["error"] == ["invalid_scope"]
    # Asking for nothing in particular: what an auditor may have.
    page = authorize(browser, challenge)
    assert page.context["scopes"] == ["accounts:read", "users:read"]
    # A consent form tampered with to add a scope is checked again on POST.
    form = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    response = browser.post("/o/authorize/", form | {"allow": "on", "scope": "accounts:write"})
    assert parse_qs(urlsplit(response["Location"]).query)["error"] == ["invalid_scope"]


def test_the_login_page_refuses_a_wrong_password_and_an_api_client(people_app):
    register_person("tilly", PASSWORD, roles=("teller",))
    register_person("robot-7", PASSWORD, roles=("teller",), kind="api_client")
    for name, password in (("tilly", "not-the-password-1"), ("robot-7", PASSWORD)):
        response = Client().post("/o/login/", {"username": name, "password": password})
        assert response.status_code == 200 and b'id="login-error"' in response.content
    _, challenge = pkce_pair()
    anonymous = authorize(Client(), challenge)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/o/login/?next=")


def test_a_suspended_persons_token_is_refused_at_once(teller_session, event_store_db):
    verifier, challenge = pkce_pair()
    code = consent(teller_session, authorize(teller_session, challenge))["code"][0]
    access = token_request(code_exchange("techbank-people", code, CALLBACK, verifier)).json()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access['access_token']}")
    assert api.get("/api/v1/accounts/").status_code == 200
    suspend(get_user_model().objects.get(username="tilly"))
    response = api.get("/api/v1/accounts/")
    assert (response.status_code, response.json()["code"]) == (401, "authentication_failed")


@pytest.mark.parametrize(
    "grant_type", [Application.GRANT_PASSWORD, Application.GRANT_CLIENT_CREDENTIALS]
)
def test_the_password_grant_is_unsupported_whatever_the_application_allows(
    db, settings, grant_type
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    register_person("pat", PASSWORD, roles=("teller",))
    Application.objects.create(
        client_id="legacy-app",
        client_secret="legacy-secret-0123456789",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=grant_type,
        name="a seed-style client",
    )
    body = {"grant_type": "password", "username": "pat", "password": PASSWORD}
    response = oauth_form_post("/o/token/", body, "legacy-app", "legacy-secret-0123456789")
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"
    assert not AccessToken.objects.exists()


def test_only_https_or_loopback_redirect_uris_are_accepted(db, settings):
    from django.core.exceptions import ImproperlyConfigured

    for uri in ("http://app.example/cb", "https://app.example/cb#frag", "/relative"):
        settings.OAUTH_PEOPLE_REDIRECT_URIS = [uri]
        with pytest.raises(ImproperlyConfigured):
            ensure_people_application()
    settings.OAUTH_PEOPLE_REDIRECT_URIS = ["https://a.example/cb", "http://[::1]/cb"]
    app = ensure_people_application()
    assert (
        app.client_type == "public" and app.redirect_uris == "https://a.example/cb http://[::1]/cb"
    )
    settings.OAUTH_PEOPLE_REDIRECT_URIS = ["https://b.example/cb"]
    assert ensure_people_application().pk == app.pk  # updated, not duplicated
    assert Application.objects.get(pk=app.pk).redirect_uris == "https://b.example/cb"


def test_migrate_registers_the_people_application_from_the_settings(transactional_db, settings):
    from django.core.management import call_command

    settings.OAUTH_PEOPLE_REDIRECT_URIS = ["https://teller-app.example/callback"]
    assert not Application.objects.filter(client_id="techbank-people").exists()
    call_command("migrate", database="default", verbosity=0)
    app = Application.objects.get(client_id="techbank-people")
    assert (app.client_type, app.authorization_grant_type, app.user) == (
        "public",
        "authorization-code",
        None,
    )
    assert app.redirect_uris == "https://teller-app.example/callback"
