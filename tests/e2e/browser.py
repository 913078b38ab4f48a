"""Real pages in a real browser: the app under gunicorn, and Debian's headless Chromium.

`web_app` runs the app as in production (DEBUG off, whitenoise serving files `collectstatic`
gathered into a temp STATIC_ROOT) on a free port, against this test run's databases.
`browser` is a fresh Chromium per test, driven by Playwright, that records every request so a
test can assert that a page needed nothing but the app.

Playwright's sync API keeps an event loop in the test's thread, and Django's ORM refuses to run
while one is there; so the browser is function-scoped and tests touch the ORM before they ask
for it (request `browser` after the database fixtures).
"""

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, Response, sync_playwright

from tests.harness.gunicorn import Gunicorn
from tests.harness.processes import PY, ROOT, child_env

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags that let Chromium run as root in a container and keep it from calling Google.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class WebApp:
    url: str
    host: str  # "127.0.0.1:<port>": the only host a page may talk to


@dataclass
class Browser:
    """One Chromium page plus what it asked for and what went wrong."""

    page: Page
    app: WebApp
    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    # Requests the page's Content-Security-Policy stopped inside the browser: never sent.
    blocked_by_policy: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.failures.append(f"{response.status} {response.url}")

    def _on_failed(self, request: Request) -> None:
        if request.failure == "csp":
            self.blocked_by_policy.append(request.url)
        else:
            self.failures.append(f"failed ({request.failure}) {request.url}")

    def open(self, path: str) -> Response:
        response = self.page.goto(self.app.url + path, wait_until="networkidle")
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        return response

    def foreign_requests(self) -> list[str]:
        """Requests that went out to a host other than the app."""
        return [
            url
            for url in self.requests
            if _host(url, self.app.host) != self.app.host and url not in self.blocked_by_policy
        ]

    def assert_self_contained(self, blocked_by_policy: tuple[str, ...] = ()) -> None:
        """Every request went to the app, every one succeeded, and no script failed.

        `blocked_by_policy`: the foreign URLs the page is known to try and its own
        Content-Security-Policy stops in the browser (exactly these, no others).
        """
        assert self.requests, "the page made no request at all"
        assert self.foreign_requests() == [], "requests to another host"
        assert self.failures == [], "requests that failed"
        assert self.script_errors == [], "JavaScript errors on the page"
        assert self.blocked_by_policy == list(blocked_by_policy)

    def screenshot(self, path: Path, min_bytes: int) -> int:
        self.page.screenshot(path=str(path), full_page=True)
        size = path.stat().st_size
        assert size > min_bytes, f"{path.name} is {size} bytes: is the page blank?"
        return size


def _host(url: str, local: str) -> str:
    """The host a URL makes the browser talk to; blob: and data: URLs stay in the page."""
    parts = urlsplit(url)
    if parts.scheme == "blob":
        return urlsplit(url.removeprefix("blob:")).netloc
    return local if parts.scheme == "data" else parts.netloc


@pytest.fixture(scope="module")
def web_app(django_db_setup, tmp_path_factory) -> Iterator[WebApp]:
    folder = tmp_path_factory.mktemp("web")
    env = {**child_env(), "DEBUG": "false", "STATIC_ROOT": str(folder / "static")}
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    with Gunicorn(folder / "web.log", env=env) as server:
        yield WebApp(url=server.url, host=f"127.0.0.1:{server.port}")


@pytest.fixture
def browser(web_app: WebApp, tmp_path: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        # A persistent context is how Playwright takes a user-data-dir: a fresh, empty one.
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(30_000)
            seen = Browser(page=page, app=web_app)
            # Context-wide, so requests of workers and frames are counted too.
            context.on("request", seen._on_request)
            context.on("response", seen._on_response)
            context.on("requestfailed", seen._on_failed)
            page.on("pageerror", lambda error: seen.script_errors.append(str(error)))
            yield seen
        finally:
            context.close()
