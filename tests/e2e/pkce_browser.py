"""A person's sign-in through OAuth2's authorization code with PKCE, in a real Chromium.

`application` is the native application's loopback listener (RFC 8252 section 7.3) that
receives the redirect with the code; `sign_in` drives the login and consent pages as a person
would and then, as the application, exchanges the code with its code_verifier at /o/token/.
"""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from tests.e2e.browser import Browser
from tests.harness.people import code_exchange, pkce_pair

PEOPLE_CLIENT_ID = "techbank-people"
# Registered as http://127.0.0.1/callback: a loopback URI matches on any port (RFC 8252).
REGISTERED_CALLBACK = "http://127.0.0.1/callback"


class Application(ThreadingHTTPServer):
    """The OAuth2 client's redirect target: notes each path the browser arrives at."""

    arrived: list[str]


class Listener(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # http.server's name for it
        assert isinstance(self.server, Application)
        self.server.arrived.append(self.path)
        body = b"<!DOCTYPE html><title>Signed in</title><p>You may close this window."
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # the code is a credential: no log line
        pass


@pytest.fixture
def application() -> Iterator[Application]:
    server = Application(("127.0.0.1", 0), Listener)
    server.arrived = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(10)


def callback_of(application: Application) -> str:
    return f"http://127.0.0.1:{application.server_address[1]}/callback"


def authorize(
    browser: Browser, application: Application, username: str, password: str, state: str
) -> tuple[str, str]:
    """Logs in and allows on the consent page; (the code the listener received, the verifier)."""
    verifier, challenge = pkce_pair()
    query = {
        "response_type": "code",
        "client_id": PEOPLE_CLIENT_ID,
        "redirect_uri": callback_of(application),
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    browser.open("/o/authorize/?" + urlencode(query))
    assert urlsplit(browser.page.url).path == "/o/login/"  # not logged in yet
    browser.page.fill("#id_username", username)
    browser.page.fill("#id_password", password)
    with browser.page.expect_navigation(wait_until="networkidle"):
        browser.page.click("#log-in")
    assert urlsplit(browser.page.url).path == "/o/authorize/"
    assert browser.page.locator("#person").inner_text() == username
    with browser.page.expect_navigation(wait_until="networkidle"):
        browser.page.click("#allow")
    arrived = [p for p in application.arrived if p.startswith("/callback")]
    assert len(arrived) == 1, arrived
    answer = parse_qs(urlsplit(arrived[0]).query)
    assert answer["state"] == [state]
    return answer["code"][0], verifier


def sign_in(browser: Browser, application: Application, username: str, password: str) -> dict:
    """The token endpoint's answer for the code a person's sign-in produced."""
    code, verifier = authorize(browser, application, username, password, f"state-{username}")
    body = code_exchange(PEOPLE_CLIENT_ID, code, callback_of(application), verifier)
    answer = requests.post(f"{browser.app.url}/o/token/", data=body, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()
