"""The app's HTML pages render in a real headless Chromium with nothing but the app itself.

Each test loads a page from gunicorn (see tests/e2e/browser.py), waits for what a person would
see, and fails on any request to another host, any request that failed or any JavaScript error.
"""

import pytest
import requests

from tests.e2e.browser import Browser
from tests.harness.people import register_person
from tests.support import open_account, wait_until

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
DEPOSIT_PATH = "/api/v1/accounts/{account_id}/deposit/"
# A 1280x900 screenshot of an empty page is about 5 KB; each of these pages makes 14 KB or more.
MIN_SCREENSHOT_BYTES = 10_000


def applied_style(browser: Browser, selector: str, prop: str) -> str:
    return browser.page.eval_on_selector(
        selector, f"(el) => getComputedStyle(el).getPropertyValue({prop!r})"
    )


def operation_count(browser: Browser) -> int:
    schema = requests.get(f"{browser.app.url}/api/schema/?format=json", timeout=10).json()
    return sum(
        method in HTTP_METHODS for operations in schema["paths"].values() for method in operations
    )


def test_swagger_ui_renders_the_operations_offline(browser, tmp_path):
    browser.open("/api/docs/")

    deposit = browser.page.locator(
        f'.opblock-post .opblock-summary-path[data-path="{DEPOSIT_PATH}"]'
    )
    deposit.wait_for(state="visible")
    # One block per operation of the schema, each with its path.
    assert browser.page.locator(".opblock").count() == operation_count(browser)
    assert "TechBank API" in browser.page.locator(".info .title").inner_text()
    # The stylesheet came from the app and is applied: operations get Swagger's colours.
    assert applied_style(browser, ".opblock-post", "background-color") != "rgba(0, 0, 0, 0)"
    browser.screenshot(tmp_path / "swagger.png", MIN_SCREENSHOT_BYTES)
    browser.assert_self_contained()
    assert any("/static/drf_spectacular_sidecar/swagger-ui-dist/" in u for u in browser.requests)


def test_redoc_renders_the_operations_offline(browser, tmp_path):
    browser.open("/api/redoc/")

    heading = browser.page.get_by_role("heading", name="Deposit funds")
    heading.wait_for(state="visible")
    assert browser.page.get_by_text(DEPOSIT_PATH).count() >= 1
    browser.screenshot(tmp_path / "redoc.png", MIN_SCREENSHOT_BYTES)
    # ReDoc always tries to show Redocly's logo from its CDN; the page's policy stops it unsent.
    browser.assert_self_contained(blocked_by_policy=(REDOCLY_LOGO,))
    assert any("/static/drf_spectacular_sidecar/redoc/" in u for u in browser.requests)


@pytest.mark.kafka
def test_the_browsable_api_lists_accounts_after_a_login(consumer_thread, teller, tmp_path, request):
    account_id = open_account(teller, "Katherine Johnson", "42.00")
    wait_until(
        lambda: teller.get(f"/api/v1/accounts/{account_id}/").status_code == 200,
        what="the account in the read model",
    )
    register_person("browser-teller", "pages-render-42", roles=("teller",))
    browser: Browser = request.getfixturevalue("browser")  # after the ORM work: see browser.py

    browser.open("/api-auth/login/?next=/api/v1/accounts/")
    browser.page.fill("#id_username", "browser-teller")
    browser.page.fill("#id_password", "pages-render-42")
    with browser.page.expect_navigation(wait_until="networkidle"):
        browser.page.click("[type=submit]")

    assert browser.page.url == f"{browser.app.url}/api/v1/accounts/"
    listing = browser.page.locator(".response-info")
    listing.wait_for(state="visible")
    assert "HTTP 200 OK" in listing.inner_text()
    assert "Katherine Johnson" in listing.inner_text()
    assert account_id in listing.inner_text()
    assert "browser-teller" in browser.page.locator(".navbar").inner_text()
    # Bootstrap from the app's static files styles the navigation bar.
    assert applied_style(browser, ".navbar", "min-height") not in ("", "auto", "0px")
    browser.screenshot(tmp_path / "accounts.png", MIN_SCREENSHOT_BYTES)
    browser.assert_self_contained()


def test_the_admin_login_page_renders_with_its_styles(browser, tmp_path):
    browser.open("/admin/login/")

    browser.page.locator("#id_username").wait_for(state="visible")
    assert browser.page.locator("#id_password").get_attribute("type") == "password"
    assert "Django administration" in browser.page.locator("#site-name").inner_text()
    # admin/css/base.css from the app colours the header.
    assert applied_style(browser, "#header", "background-color") != "rgba(0, 0, 0, 0)"
    assert any(u.endswith(".css") and "/static/admin/css/" in u for u in browser.requests)
    browser.screenshot(tmp_path / "admin-login.png", MIN_SCREENSHOT_BYTES)
    browser.assert_self_contained()
