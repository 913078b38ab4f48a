"""The lean path beside DRF (api_platform/lean_routes.py) answers what DRF answers.

Each request below is sent twice to the same data: with the lean path on, after a first
request has made the client known to the process, and with it off (DRF answers). Status, body
and every header but the request id must be the same, and the lean path's counter tells
which requests it answered itself.
"""

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from api_platform.lean_routes import LeanRoutesMiddleware
from apps.accounts_query.api.views import AccountDetailApi, AccountListApi
from tests.api.test_oauth2 import bearer, make_client, token
from tests.factories import AccountFactory
from tests.harness.swapped_settings import file_throttle_caches
from tests.harness.tokens import client_for

pytestmark = pytest.mark.django_db
VIEWS = ("AccountDetailApi", "AccountListApi")


def served() -> float:
    """How many reads the lean path has answered in this process."""
    return sum(
        REGISTRY.get_sample_value("techbank_http_lean_responses_total", {"view": view}) or 0.0
        for view in VIEWS
    )


def answer(client: APIClient, url: str, lean: bool, **headers: Any) -> tuple[int, Any, dict]:
    with override_settings(API_LEAN_READS=lean):
        client.get(url, **headers)  # the client known, a lease held: what a warm process has
        before = served()
        response = client.get(url, **headers)
        took_lean = served() > before
    kept = {k: v for k, v in response.headers.items() if k != "X-Request-ID"}
    body = response.json() if response["Content-Type"] == "application/json" else response.content
    return response.status_code, body, kept | {"lean": took_lean}


@pytest.fixture
def accounts() -> list[Any]:
    return [AccountFactory(holder=f"Holder {n % 3}") for n in range(7)]


def cursor_of_page_2(client: APIClient) -> str:
    page = client.get("/api/v1/accounts/?page_size=2").json()
    return page["next"].split("?", 1)[1]


@pytest.mark.parametrize(
    "path",
    [
        "by id",
        "unknown id",
        "/api/v1/accounts/",
        "/api/v1/accounts/?holder=holder%201",
        "/api/v1/accounts/?balance_gt=0.00&status=OPEN&page_size=3",
        "page 2",
    ],
)
def test_the_lean_path_answers_what_drf_answers(accounts, path: str):
    client = client_for("auditor")
    url = {
        "by id": f"/api/v1/accounts/{accounts[0].id}/",
        "unknown id": f"/api/v1/accounts/{uuid.uuid4()}/",
        "page 2": f"/api/v1/accounts/?{cursor_of_page_2(client)}",
    }.get(path, path)
    lean = answer(client, url, lean=True)
    assert lean[2].pop("lean") is True, "the lean path did not answer this request"
    drf = answer(client, url, lean=False)
    assert drf[2].pop("lean") is False
    assert lean == drf
    assert lean[0] in (200, 404)


def oauth_client() -> APIClient:
    _, client_id, secret = make_client("lean-oauth", "auditor")
    return bearer(token(client_id, secret, "accounts:read"))


LEFT_TO_DRF: list[tuple[str, Callable[[Any], str], dict[str, str], int, str | None]] = [
    # (what, url, headers, status, code): requests the lean path must leave to DRF
    (
        "the browsable API",
        lambda a: f"/api/v1/accounts/{a.id}/",
        {"HTTP_ACCEPT": "text/html"},
        200,
        None,
    ),
    ("a format", lambda a: f"/api/v1/accounts/{a.id}/?format=json", {}, 200, None),
    ("a read-your-writes wait", lambda a: f"/api/v1/accounts/{a.id}/?min_version=1", {}, 200, None),
    (
        "a version not there yet",
        lambda a: f"/api/v1/accounts/{a.id}/?min_version=9&wait=0",
        {},
        503,
        "projection_behind",
    ),
    ("the command side's open", lambda a: "/api/v1/accounts/open/", {}, 403, "permission_denied"),
    ("a malformed id", lambda a: "/api/v1/accounts/not-a-uuid/", {}, 404, "account_not_found"),
    ("a bad filter", lambda a: "/api/v1/accounts/?balance_gt=1e3", {}, 400, "invalid_input"),
    ("a bad cursor", lambda a: "/api/v1/accounts/?cursor=zzz", {}, 400, "invalid_input"),
    ("a bad page size", lambda a: "/api/v1/accounts/?page_size=0", {}, 400, "invalid_input"),
    (
        "a credential in the query",
        lambda a: f"/api/v1/accounts/{a.id}/?access_token=x",
        {},
        400,
        "credential_in_query",
    ),
    (
        "an unknown token",
        lambda a: f"/api/v1/accounts/{a.id}/",
        {"HTTP_AUTHORIZATION": "Token " + "f" * 64},
        401,
        "authentication_failed",
    ),
    (
        "a Host not allowed",
        lambda a: f"/api/v1/accounts/{a.id}/",
        {"HTTP_HOST": "evil.example"},
        400,
        "bad_request",
    ),
]


@pytest.mark.parametrize(
    ("what", "url", "headers", "status", "code"), LEFT_TO_DRF, ids=[case[0] for case in LEFT_TO_DRF]
)
def test_what_the_lean_path_leaves_to_drf(accounts, what, url, headers, status, code):
    client = client_for("auditor")
    client.get(f"/api/v1/accounts/{accounts[0].id}/")  # known: only the request decides
    if "HTTP_AUTHORIZATION" in headers:
        client = APIClient()  # the credentials of a client_for win over a header
    before = served()
    response = client.get(url(accounts[0]), **headers)
    assert served() == before, f"the lean path answered {what}"
    assert response.status_code == status, response.content
    if code is not None:
        assert response.json()["code"] == code


def test_a_role_without_the_right_and_an_oauth_token_go_to_drf(accounts):
    url = f"/api/v1/accounts/{accounts[0].id}/"
    administrator = client_for("administrator")
    bearer = oauth_client()
    for client in (administrator, bearer):
        client.get(url)
    before = served()
    refused = administrator.get(url)
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    assert bearer.get(url).status_code == 200
    assert served() == before


def test_a_warm_lean_list_page_is_one_sql_query(accounts):
    client = client_for("auditor")
    url = "/api/v1/accounts/?holder=holder%202"
    client.get(url)
    before = served()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert served() == before + 1
    assert [row["holder"] for row in response.json()["results"]] == ["Holder 2"] * 2
    assert len(queries.captured_queries) == 1


@pytest.fixture
def reads_limited(tmp_path) -> Iterator[int]:
    limit = 256  # leases of several requests (up to 1/16 of what is left): the lean path's
    rates = {scope: None for scope in settings.THROTTLE_RATES} | {"reads": f"{limit}/min"}
    with override_settings(CACHES=file_throttle_caches(tmp_path), THROTTLE_RATES=rates):
        yield limit


def test_lean_reads_count_against_the_client_limit_exactly_once(accounts, reads_limited):
    client = client_for("auditor")
    url = f"/api/v1/accounts/{accounts[0].id}/"
    before = served()
    statuses = [client.get(url).status_code for _ in range(reads_limited + 6)]
    assert statuses == [200] * reads_limited + [429] * 6
    assert served() - before >= reads_limited / 2  # most were the lean path's: it counted them
    refused = client.get(url)
    assert refused.json()["code"] == "throttled" and int(refused["Retry-After"]) > 0


def test_a_database_failure_after_counting_is_drfs_503(accounts):
    """Once a request is counted the lean path answers it, a failure as DRF would."""
    client = client_for("auditor")
    url = f"/api/v1/accounts/{accounts[0].id}/"
    client.get(url)

    def gone(execute, sql, params, many, context):
        if "accounts_query_account" in sql:
            raise OperationalError(2013, "Lost connection to MySQL server during query")
        return execute(sql, params, many, context)

    answers = []
    for lean in (True, False):
        with override_settings(API_LEAN_READS=lean):
            client.get(url)  # a lease held (a changed setting voids the leases)
            with connection.execute_wrapper(gone):
                before = served()
                response = client.get(url)
            headers = {k: v for k, v in response.headers.items() if k != "X-Request-ID"}
            answers.append((served() > before, response.status_code, response.json(), headers))
    assert answers[0][0] is True and answers[1][0] is False
    assert answers[0][1:] == answers[1][1:]
    assert answers[0][1] == 503
    assert answers[0][2]["code"] == "service_unavailable"


def test_each_lean_route_mirrors_the_view_its_url_resolves_to():
    routes = [mirror.route for mirror in LeanRoutesMiddleware(lambda request: None).routes]
    samples = {
        AccountDetailApi: f"/api/v1/accounts/{uuid.uuid4()}/",
        AccountListApi: "/api/v1/accounts/",
    }
    assert {route.view for route in routes} == set(samples)
    for route in routes:
        path = samples[route.view]
        assert route.pattern.fullmatch(path)
        assert resolve(path).func.view_class is route.view
