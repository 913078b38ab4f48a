"""Issue 19's story end to end, through gunicorn and a real Chromium: an administrator
registers a teller API client and a teller person over the API; each obtains an OAuth2 token
(client credentials for the client; authorization code with PKCE for the person), runs a
deposit, and the deposit's stored event names it as `actor`; the administrator suspends both,
and within AUTH_CACHE_SECONDS every credential of theirs is refused."""

import io
import time

import requests
from django.conf import settings as django_settings
from django.core.management import call_command

from api_platform.oauth_people import ensure_people_application
from tests.e2e.browser import Browser
from tests.e2e.pkce_browser import REGISTERED_CALLBACK, sign_in
from tests.harness import leak_scan
from tests.harness.tokens import ensure_roles, request_oauth_token
from tests.support import wait_until

PASSWORD = "harbour-quill-saffron-42"
# The web process's bound (its settings come from this run's: the default unless set), plus
# one poll interval and a request's own time.
SLACK_SECONDS = 1.5


def last_word(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue().split()[-1]


def deposit_as(url: str, header: dict, account: str, amount: str) -> requests.Response:
    return requests.post(
        f"{url}/api/v1/accounts/{account}/deposit/",
        json={"amount": amount},
        headers=header,
        timeout=30,
    )


def actor_of_last_event(url: str, header: dict, account: str) -> dict:
    page = requests.get(f"{url}/api/v1/accounts/{account}/events/", headers=header, timeout=30)
    assert page.status_code == 200, page.text
    return page.json()["events"][-1]


def refused_within(url: str, header: dict, account: str, bound: float) -> float:
    start = time.monotonic()
    wait_until(
        lambda: (
            requests.get(
                f"{url}/api/v1/accounts/{account}/", headers=header, timeout=10
            ).status_code
            == 401
        ),
        timeout=bound + 10,
        interval=0.1,
        what="the suspended credential refused",
    )
    return time.monotonic() - start


def test_an_administrator_registers_tellers_who_act_as_themselves_until_suspended(
    transactional_db,
    event_store_db,
    settings,
    web_app,
    application,
    request,
):
    settings.OAUTH_PEOPLE_REDIRECT_URIS = [REGISTERED_CALLBACK]
    ensure_people_application()
    ensure_roles()
    url = web_app.url
    admin_token = last_word("create_api_client", "story-admin", "--role", "administrator")
    admin = {"Authorization": f"Token {admin_token}"}

    # The administrator registers a teller client and a teller person.
    client = requests.post(
        f"{url}/api/v1/api-clients/",
        json={"name": "story-till", "role": "teller"},
        headers=admin,
        timeout=30,
    )
    assert client.status_code == 201, client.text
    client_body = client.json()
    assert set(client_body) == {"id", "name", "kind", "role", "token", "client_id", "client_secret"}
    assert (client_body["kind"], client_body["role"]) == ("api_client", "teller")
    for secret in (client_body["token"], client_body["client_secret"], PASSWORD):
        leak_scan.issued(secret)
    person = requests.post(
        f"{url}/api/v1/users/",
        json={
            "username": "story-dorothy",
            "password": PASSWORD,
            "roles": ["teller"],
            "display_name": "Dorothy Vaughan",
        },
        headers=admin,
        timeout=30,
    )
    assert person.status_code == 201, person.text
    assert {k: person.json()[k] for k in ("username", "kind", "roles", "status", "version")} == {
        "username": "story-dorothy",
        "kind": "person",
        "roles": ["teller"],
        "status": "active",
        "version": 1,
    }

    # The client: client credentials; opens an account and deposits as itself.
    granted = request_oauth_token(client_body["client_id"], client_body["client_secret"])
    assert granted.status_code == 200, granted.content
    machine = {"Authorization": f"Bearer {granted.json()['access_token']}"}
    opened = requests.post(
        f"{url}/api/v1/accounts/open/",
        json={"holder": "Katherine Johnson", "account_type": "SAVINGS", "opening_balance": "5.00"},
        headers=machine,
        timeout=30,
    )
    assert opened.status_code == 201, opened.text
    account = opened.json()["id"]
    deposited = deposit_as(url, machine, account, "10.00")
    assert deposited.status_code == 200, deposited.text
    event = actor_of_last_event(url, machine, account)
    assert event["event_type"] == "FundsDeposited"
    assert event["metadata"]["actor"] == client_body["id"]
    assert event["metadata"]["correlation_id"] == deposited.headers["X-Request-ID"]
    assert event["metadata"]["causation_id"]

    # The person: authorization code with PKCE in Chromium; deposits as herself.
    browser: Browser = request.getfixturevalue("browser")  # after the ORM work: see browser.py
    token = sign_in(browser, application, "story-dorothy", PASSWORD)
    assert token["scope"] == "accounts:read accounts:write"
    leak_scan.issued(token["access_token"])
    human = {"Authorization": f"Bearer {token['access_token']}"}
    assert deposit_as(url, human, account, "7.00").status_code == 200
    assert actor_of_last_event(url, human, account)["metadata"]["actor"] == person.json()["id"]

    # Separation of duties: the administrator runs no account command.
    refused = deposit_as(url, admin, account, "1.00")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"

    # The administrator suspends both; within the bound each of their credentials is refused.
    for user_id in (client_body["id"], person.json()["id"]):
        suspended = requests.post(
            f"{url}/api/v1/users/{user_id}/suspend/", headers=admin, timeout=30
        )
        assert (suspended.status_code, suspended.json()["status"]) == (200, "suspended")
    bound = float(django_settings.AUTH_CACHE_SECONDS)
    for header in (machine, {"Authorization": f"Token {client_body['token']}"}, human):
        assert refused_within(url, header, account, bound) <= bound + SLACK_SECONDS
    assert deposit_as(url, human, account, "1.00").status_code == 401
