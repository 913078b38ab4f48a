"""Where a newcomer starts: / leads to the API root, whose links all answer."""

import re

import pytest
from rest_framework.test import APIClient

from tests.harness.routes import every_route

pytestmark = pytest.mark.django_db


def test_the_site_root_leads_to_the_api_root():
    response = APIClient().get("/")
    assert response.status_code == 302
    assert response["Location"] == "/api/v1/"


def test_the_api_root_links_to_endpoints_that_exist(auditor):
    links = APIClient().get("/api/v1/").json()
    assert links["accounts"] == "http://testserver/api/v1/accounts/"
    assert links["open_account"] == "http://testserver/api/v1/accounts/open/"
    assert links["account_commands"][0] == "http://testserver/api/v1/accounts/{id}/deposit/"
    assert auditor.get(links["accounts"]).status_code == 200
    for name in ("schema", "docs", "login"):
        assert APIClient().get(links[name]).status_code == 200, name


def test_the_api_root_links_to_redoc_next_to_swagger_ui():
    links = APIClient().get("/api/v1/").json()
    assert links["docs"] == "http://testserver/api/docs/"
    assert links["redoc"] == "http://testserver/api/redoc/"
    response = APIClient().get(links["redoc"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    # The pinned copy from the app's static files, and no third-party fonts.
    assert b"/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js" in response.content
    assert b"fonts.googleapis.com" not in response.content


def linked_paths(links: object) -> set[str]:
    """Every path the root links to, its query string left off."""
    if isinstance(links, list):
        return set().union(*(linked_paths(link) for link in links))
    assert isinstance(links, str)
    return {links.removeprefix("http://testserver").split("?")[0]}


def test_the_api_root_links_every_route_under_it():
    """Each route under /api/v1/ (its parameters written {id}) is linked from the root, so a
    collection or command added without a link fails here."""
    linked = set().union(*(linked_paths(v) for v in APIClient().get("/api/v1/").json().values()))
    routes = {
        "/" + re.sub(r"<[^>]+>", "{id}", route)
        for route, _ in every_route()
        if route.startswith("api/v1/") and route != "api/v1/"
    }
    assert routes, "no route under /api/v1/: has the URL layout changed?"
    assert routes - linked == set()
