"""A person signs in with OAuth2 in a real headless Chromium: authorization code with PKCE.

A teller registered with a password (RegisterUser, through the identity commands) opens
/o/authorize/ (as their application sends them there), is sent to the login page, logs in,
sees the consent page with their role's scopes, allows, and lands on the application's
loopback redirect URI with a code. The test, as the application, exchanges the code with its
code_verifier at /o/token/ and runs a deposit with the token. Both pages need nothing but the
app (no CDN, no script, no font from elsewhere).
"""

from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from api_platform.oauth_people import ensure_people_application
from tests.e2e.browser import Browser
from tests.e2e.pkce_browser import callback_of
from tests.harness.people import code_exchange, pkce_pair, register_by_command

PASSWORD = "quartz-lantern-meadow-17"
# A 1280x900 screenshot of a blank page is about 5 KB; the login and consent pages make more.
MIN_SCREENSHOT_BYTES = 8_000


def test_a_teller_authorizes_an_application_with_pkce_and_deposits(
    transactional_db, event_store_db, settings, web_app, application, request, tmp_path
):
    settings.OAUTH_PEOPLE_REDIRECT_URIS = ["http://127.0.0.1/callback"]
    ensure_people_application()
    register_by_command("chromium-teller", PASSWORD, roles=("teller",))
    browser: Browser = request.getfixturevalue("browser")  # after the ORM work: see browser.py

    # Registered as http://127.0.0.1/callback: a loopback URI matches on any port (RFC 8252).
    callback = callback_of(application)
    verifier, challenge = pkce_pair()
    query = {
        "response_type": "code",
        "client_id": "techbank-people",
        "redirect_uri": callback,
        "state": "chromium-state",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }

    browser.open("/o/authorize/?" + urlencode(query))
    assert urlsplit(browser.page.url).path == "/o/login/"  # not logged in yet
    assert browser.page.locator("#id_password").get_attribute("type") == "password"
    browser.screenshot(tmp_path / "login.png", MIN_SCREENSHOT_BYTES)
    browser.page.fill("#id_username", "chromium-teller")
    browser.page.fill("#id_password", PASSWORD)
    with browser.page.expect_navigation(wait_until="networkidle"):
        browser.page.click("#log-in")

    assert urlsplit(browser.page.url).path == "/o/authorize/"
    assert browser.page.locator("#person").inner_text() == "chromium-teller"
    assert browser.page.locator("#scopes li").all_inner_texts() == [
        "Read accounts, event histories and statements",
        "Run account commands",
    ]
    browser.screenshot(tmp_path / "consent.png", MIN_SCREENSHOT_BYTES)
    with browser.page.expect_navigation(wait_until="networkidle"):
        browser.page.click("#allow")

    # (Chromium may also ask the listener for its /favicon.ico.)
    arrived = [p for p in application.arrived if p.startswith("/callback")]
    assert len(arrived) == 1 and browser.page.url.startswith(callback + "?")
    answer = parse_qs(urlsplit(arrived[0]).query)
    assert answer["state"] == ["chromium-state"]
    body = code_exchange("techbank-people", answer["code"][0], callback, verifier)
    token = requests.post(f"{web_app.url}/o/token/", data=body, timeout=30)
    assert token.status_code == 200, token.text
    assert token.json()["scope"] == "accounts:read accounts:write"

    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    opened = requests.post(
        f"{web_app.url}/api/v1/accounts/open/",
        json={"holder": "Dorothy Vaughan", "account_type": "SAVINGS", "opening_balance": "1.00"},
        headers=bearer,
        timeout=30,
    )
    assert opened.status_code == 201, opened.text
    deposit = requests.post(
        f"{web_app.url}/api/v1/accounts/{opened.json()['id']}/deposit/",
        json={"amount": "41.00"},
        headers=bearer,
        timeout=30,
    )
    assert (deposit.status_code, deposit.json()["version"]) == (200, 2)
    # Login and consent pages loaded nothing but the app; the one other request was the
    # redirect to the application's own listener.
    listener = urlsplit(callback).netloc
    assert browser.page.url in browser.foreign_requests()
    assert {urlsplit(url).netloc for url in browser.foreign_requests()} == {listener}
    assert browser.failures == [] and browser.script_errors == []
