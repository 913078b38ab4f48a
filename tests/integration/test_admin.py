"""The read models in the admin: listed, filtered, searched, never edited."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from apps.accounts_query.models import StatementLine
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("root", "r@x.io", "pw"))
    return client


def test_admin_lists_filters_and_searches_read_only(admin_client):
    ada = AccountFactory(holder="Ada Lovelace", account_type="CURRENT")
    AccountFactory(holder="Alan Turing")
    url = "/admin/accounts_query/account/"
    listing = admin_client.get(url)
    assert listing.status_code == 200
    assert b"Ada Lovelace" in listing.content and b"Alan Turing" in listing.content
    assert b"By account type" in listing.content and b"By status" in listing.content
    found = admin_client.get(url, {"q": "Lovelace"})
    assert b"Ada Lovelace" in found.content and b"Alan Turing" not in found.content
    by_id = admin_client.get(url, {"q": str(ada.id)})
    assert b"Ada Lovelace" in by_id.content and b"Alan Turing" not in by_id.content
    filtered = admin_client.get(url, {"account_type__exact": "CURRENT"})
    assert b"Ada Lovelace" in filtered.content and b"Alan Turing" not in filtered.content

    assert admin_client.get(f"{url}add/").status_code == 403
    assert admin_client.get(f"{url}{ada.pk}/delete/").status_code == 403
    detail = admin_client.get(f"{url}{ada.pk}/change/")
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    assert admin_client.post(f"{url}{ada.pk}/change/", {"holder": "Changed"}).status_code == 403
    ada.refresh_from_db()
    assert ada.holder == "Ada Lovelace"


def statement_of(account) -> None:
    for version, (kind, amount, balance) in enumerate(
        [
            ("OPENING", "100.00", "100.00"),
            ("DEPOSIT", "25.50", "125.50"),
            ("WITHDRAWAL", "7.25", "118.25"),
        ],
        start=1,
    ):
        StatementLine.objects.create(
            account=account,
            version=version,
            type=kind,
            amount=Decimal(amount),
            balance_after=Decimal(balance),
            timestamp=account.opened_at + timedelta(minutes=version),
        )


@pytest.fixture
def auditor_staff(client):
    user = get_user_model().objects.create_user("audrey", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="auditors"))
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["admin_client", "auditor_staff"])
def test_an_accounts_page_shows_its_movements_read_only(who, request):
    browser = request.getfixturevalue(who)
    ada = AccountFactory(holder="Ada Lovelace", version=3)
    statement_of(ada)
    statement_of(AccountFactory(holder="Alan Turing", version=3))
    page = browser.get(f"/admin/accounts_query/account/{ada.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<table class="statement">') == 1
    body = html.split('<table class="statement">')[1].split("</table>")[0]
    # Newest first: the withdrawal's row, then the deposit's, then the opening's.
    assert body.index("118.25") < body.index("125.50") < body.index("100.00")
    assert "Withdrawal" in body and "Deposit" in body and "Opening balance" in body
    assert "The latest 3 of 3 movement(s)" in html
    assert 'name="_save"' not in html

    lines = "/admin/accounts_query/statementline/"
    listing = browser.get(lines, {"account__id__exact": str(ada.pk)})
    assert listing.status_code == 200
    assert listing.content.count(b"Ada Lovelace") == 3 and b"Alan Turing" not in listing.content
    line = StatementLine.objects.get(account=ada, version=2)
    assert browser.get(f"{lines}add/").status_code == 403
    assert browser.get(f"{lines}{line.pk}/delete/").status_code == 403
    detail = browser.get(f"{lines}{line.pk}/change/")
    assert detail.status_code == 200 and b'name="_save"' not in detail.content
    assert browser.post(f"{lines}{line.pk}/change/", {"amount": "1.00"}).status_code == 403
    line.refresh_from_db()
    assert str(line.amount) == "25.50"
