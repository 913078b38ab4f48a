"""The operator console's account page in a real headless Chromium: a staff auditor logs in
through the admin's login form, opens an account, and sees its history and balance chart."""

import uuid

import pytest

from tests.console_support import produce_dead_letter
from tests.e2e.browser import Browser
from tests.harness.people import register_person
from tests.support import command, open_account, wait_until

# A 1280x900 screenshot of an empty page is about 5 KB; the account page makes far more.
MIN_SCREENSHOT_BYTES = 20_000


@pytest.mark.kafka
def test_a_staff_auditor_sees_the_account_history_and_chart(
    consumer_thread, teller, tmp_path, request
):
    account_id = open_account(teller, "Mary Jackson", "250.00")
    for name, amount in (("deposit", "100.00"), ("withdraw", "75.50"), ("deposit", "20.00")):
        assert command(teller, account_id, name, amount=amount).status_code == 200
    wait_until(
        lambda: teller.get(f"/api/v1/accounts/{account_id}/").json().get("version") == 4,
        what="the account at version 4 in the read model",
    )
    dead_key = str(uuid.uuid4())
    produce_dead_letter(dead_key)
    # A person (staff, as every person is) with the auditor role and a password.
    register_person("console-browser", "console-pages-42", roles=("auditor",))
    browser: Browser = request.getfixturevalue("browser")  # after the ORM work: see browser.py

    browser.open("/admin/login/?next=/admin/")
    browser.page.fill("#id_username", "console-browser")
    browser.page.fill("#id_password", "console-pages-42")
    with browser.page.expect_navigation(wait_until="networkidle"):
        browser.page.click("[type=submit]")
    assert browser.page.url == f"{browser.app.url}/admin/"
    assert browser.page.locator("#projection-lag").is_visible()
    browser.screenshot(tmp_path / "index.png", MIN_SCREENSHOT_BYTES)

    browser.open(f"/admin/accounts_query/account/{account_id}/change/")

    rows = browser.page.locator("#event-history tr.history-row")
    rows.first.wait_for(state="visible")
    assert [rows.nth(i).get_attribute("data-version") for i in range(rows.count())] == [
        "1",
        "2",
        "3",
        "4",
    ]
    assert "FundsWithdrawn" in rows.nth(2).inner_text()
    chart = browser.page.locator("svg.balance-chart")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] >= 500 and box["height"] >= 100
    points = chart.locator("circle.point")
    assert [points.nth(i).get_attribute("data-balance") for i in range(points.count())] == [
        "250.00",
        "350.00",
        "274.50",
        "294.50",
    ]
    assert browser.page.locator("[name=_save]").count() == 0
    assert "Mary Jackson" in browser.page.locator("#content").inner_text()
    browser.screenshot(tmp_path / "account.png", MIN_SCREENSHOT_BYTES)

    browser.open("/admin/dead-letters/")
    letter = browser.page.locator("#dead-letters tr.dead-letter", has_text=dead_key)
    assert "FundsDeposited data is not an object <script>" in letter.inner_text()
    browser.screenshot(tmp_path / "dead-letters.png", MIN_SCREENSHOT_BYTES // 2)
    browser.assert_self_contained()
