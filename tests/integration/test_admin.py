"""The read models in the admin: listed, filtered, searched, never edited."""

import pytest
from django.contrib.auth import get_user_model

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
