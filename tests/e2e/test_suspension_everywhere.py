"""A suspended (or removed: the same is_active=False) user is refused everywhere within
AUTH_CACHE_SECONDS, by a real gunicorn whose worker processes keep their own caches: API
tokens (cached per process, so within the bound), a person's OAuth2 access token, a machine's
client-credentials token (through its application's user), an admin session (all three at
their next request). The change is made from this process, as another web process or the
identity projector would make it: no signal reaches gunicorn's caches."""

import io
import re
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.core.management import call_command

from api_platform.oauth_people import ensure_people_application
from apps.identity.bootstrap import SystemCommands
from apps.identity.domain.commands import RegisterApiClient, RemoveUser, SuspendUser
from apps.identity.domain.user_ids import user_id_for
from tests.harness import leak_scan
from tests.harness.gunicorn import gunicorn
from tests.harness.people import (
    code_exchange,
    pkce_pair,
    register_by_command,
    register_person,
    suspend,
)
from tests.harness.tokens import ensure_roles, token_for
from tests.support import wait_until

CACHE_SECONDS = 2.0
# What may pass beyond the bound: one poll interval and a request's own time.
SLACK_SECONDS = 1.0
PASSWORD = "suspension-password-90"
CALLBACK = "http://127.0.0.1:8765/callback"
ACCOUNTS = "/api/v1/accounts/"


@pytest.fixture
def web(transactional_db, event_store_db, tmp_path) -> Iterator[str]:
    # One worker process (its cache is not this process's, so no signal empties it), so that
    # every request below asks the same cache.
    with gunicorn(
        tmp_path / "web.log", "--workers", "1", AUTH_CACHE_SECONDS=str(CACHE_SECONDS)
    ) as url:
        yield url


def status(url: str, header: str) -> int:
    return requests.get(url + ACCOUNTS, headers={"Authorization": header}, timeout=10).status_code


def refused_within(url: str, header: str, bound: float) -> float:
    """Seconds from now until `header` is refused with 401 (polling); fails past `bound`."""
    start = time.monotonic()
    wait_until(lambda: status(url, header) == 401, timeout=bound + 5, interval=0.1)
    elapsed = time.monotonic() - start
    assert elapsed <= bound, f"refused after {elapsed:.2f} s, bound {bound} s"
    return elapsed


def test_an_api_token_is_refused_within_the_cache_bound(web):
    header = f"Token {token_for('teller', 'suspended-robot')}"
    assert status(web, header) == 200  # now in the worker's cache
    get_user_model().objects.filter(username="suspended-robot").update(is_active=False)
    elapsed = refused_within(web, header, CACHE_SECONDS + SLACK_SECONDS)
    print(f"API token refused {elapsed:.2f} s after the suspension (bound {CACHE_SECONDS} s)")
    # And stays refused.
    assert {status(web, header) for _ in range(8)} == {401}


def test_a_client_credentials_token_is_refused_at_its_next_request(web, settings):
    ensure_roles()
    out = io.StringIO()
    call_command("create_api_client", "machine-9", role="teller", oauth=True, stdout=out)
    client_id, secret = (line.split("=", 1)[1] for line in out.getvalue().splitlines()[:2])
    answer = requests.post(
        web + "/o/token/",
        data={"grant_type": "client_credentials"},
        auth=(client_id, secret),
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    header = f"Bearer {answer.json()['access_token']}"
    assert status(web, header) == 200
    get_user_model().objects.filter(username="machine-9").update(is_active=False)
    assert status(web, header) == 401


def logged_in_session(url: str, path: str, username: str) -> requests.Session:
    """A browser-like session logged in at `path` (Django's login form, with its CSRF token)."""
    session = requests.Session()
    page = session.get(url + path, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token is not None, page.text[:500]
    answer = session.post(
        url + path,
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
        headers={"Referer": url + path},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text[:500]
    return session


def person_bearer(url: str, username: str) -> str:
    """The Authorization header of a person's access token, got as their application gets it:
    login, consent, code, exchange with the PKCE verifier."""
    browser = logged_in_session(url, "/o/login/", username)
    verifier, challenge = pkce_pair()
    query = {
        "response_type": "code",
        "client_id": "techbank-people",
        "redirect_uri": CALLBACK,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    page = browser.get(url + "/o/authorize/", params=query, timeout=10)
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    assert form["code_challenge"] == challenge, page.text[:1000]
    consent = browser.post(
        url + "/o/authorize/",
        data=form | {"allow": "on"},
        headers={"Referer": page.url},
        allow_redirects=False,
        timeout=10,
    )
    code = parse_qs(urlsplit(consent.headers["Location"]).query)["code"][0]
    exchange = code_exchange("techbank-people", code, CALLBACK, verifier)
    access = requests.post(url + "/o/token/", data=exchange, timeout=30).json()["access_token"]
    return f"Bearer {access}"


def test_a_persons_oauth_token_and_admin_session_end_at_the_next_request(web, settings):
    settings.OAUTH_PEOPLE_REDIRECT_URIS = ["http://127.0.0.1/callback"]
    ensure_people_application()
    person = register_person("sus-teller", PASSWORD, roles=("teller",))

    admin = logged_in_session(web, "/admin/login/", "sus-teller")
    assert admin.get(web + "/admin/", allow_redirects=False, timeout=10).status_code == 200
    header = person_bearer(web, "sus-teller")
    assert status(web, header) == 200

    suspend(person)

    assert status(web, header) == 401
    response = admin.get(web + "/admin/", allow_redirects=False, timeout=10)
    assert response.status_code == 302 and "/admin/login/" in response.headers["Location"]


def test_suspend_and_remove_commands_take_effect_within_the_bound(web, settings):
    """The same through the identity commands (their projection and credential actions), as
    an administrator's POST /users/{id}/suspend/ and DELETE /users/{id}/ run them."""
    settings.OAUTH_PEOPLE_REDIRECT_URIS = ["http://127.0.0.1/callback"]
    ensure_people_application()
    register_by_command("cmd-teller", PASSWORD, roles=("teller",))
    with SystemCommands("tests") as system:
        machine = system.dispatch(
            RegisterApiClient(actor_id=None, name="cmd-robot", role="teller", oauth=False)
        )
    api_token = f"Token {leak_scan.issued(machine.token)}"
    bearer = person_bearer(web, "cmd-teller")
    assert status(web, api_token) == 200 and status(web, bearer) == 200

    with SystemCommands("tests") as system:
        system.dispatch(SuspendUser(actor_id=None, user_id=machine.user_id))
        system.dispatch(RemoveUser(actor_id=None, user_id=user_id_for("cmd-teller")))

    assert status(web, bearer) == 401
    elapsed = refused_within(web, api_token, CACHE_SECONDS + SLACK_SECONDS)
    print(f"suspended client's API token refused after {elapsed:.2f} s")
    # The removed person cannot log in again.
    session = requests.Session()
    page = session.get(web + "/o/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token is not None
    again = session.post(
        web + "/o/login/",
        data={"username": "cmd-teller", "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
        headers={"Referer": web + "/o/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert again.status_code == 200 and 'id="login-error"' in again.text
