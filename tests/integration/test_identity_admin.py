"""Users in the admin are read-only: people and API clients (UserIdentity), Django's users and
groups. The event store is the source of truth; the admin changes none of them."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from tests.harness.people import register_person

PASSWORD = "admin-pages-password-58"


@pytest.fixture
def root(db) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.com", None))
    return client


@pytest.fixture
def people(db):
    return [
        register_person("ada", PASSWORD, roles=("teller",)),
        register_person("grace", PASSWORD, roles=("auditor", "teller")),
        register_person("boss", PASSWORD, roles=("administrator",)),
    ]


def listed(client: Client, query: str = "") -> list[str]:
    response = client.get(f"/admin/identity/useridentity/{query}")
    assert response.status_code == 200
    return [row.username for row in response.context["cl"].result_list]


def test_people_are_listed_and_filtered_by_kind_status_and_role(root, people):
    assert listed(root) == ["ada", "boss", "grace"]
    assert listed(root, "?role=teller") == ["ada", "grace"]
    assert listed(root, "?role=auditor") == ["grace"]
    assert listed(root, "?role=administrator") == ["boss"]
    assert listed(root, "?kind__exact=api_client") == []
    assert listed(root, "?status__exact=active") == ["ada", "boss", "grace"]


@pytest.mark.parametrize(
    "page",
    ["/admin/identity/useridentity/", "/admin/auth/user/", "/admin/auth/group/"],
)
def test_no_user_page_adds_changes_or_deletes(root, people, page):
    assert root.get(page + "add/").status_code == 403
    row = {
        "/admin/identity/useridentity/": lambda: people[0].identity.pk,
        "/admin/auth/user/": lambda: people[0].pk,
        "/admin/auth/group/": lambda: Group.objects.get(name="tellers").pk,
    }[page]()
    view = root.get(f"{page}{row}/change/")
    assert view.status_code == 200  # shown, read-only
    assert b'name="_save"' not in view.content
    assert root.post(f"{page}{row}/change/", {"username": "renamed"}).status_code == 403
    assert root.post(f"{page}{row}/delete/", {"post": "yes"}).status_code == 403
    listing = root.post(page, {"action": "delete_selected", "_selected_action": [row]})
    assert listing.status_code in (200, 302)  # the action is not offered: nothing deleted
    assert get_user_model().objects.filter(username="ada").exists()
    assert Group.objects.filter(name="tellers").exists()


def test_an_administrator_sees_people_but_no_password_hash(db, people):
    client = Client()
    assert (
        client.post("/admin/login/", {"username": "boss", "password": PASSWORD}).status_code == 302
    )
    page = client.get(f"/admin/identity/useridentity/{people[0].identity.pk}/change/")
    assert page.status_code == 200 and b"ada" in page.content
    assert b"argon2" not in page.content
    assert client.get("/admin/identity/credential/").status_code == 404  # not in the admin
