"""Per-client request limits: separate for commands and reads, 429 + Retry-After, JSON."""

import uuid
from collections.abc import Iterator
from unittest import mock

import pytest
import requests
from django.core.cache.backends.filebased import FileBasedCache
from django.test import override_settings

from api_platform.throttling import MAX_LEASE, forget_leases
from tests.harness.gunicorn import Gunicorn, answers
from tests.harness.processes import child_env
from tests.harness.tokens import authorization, client_for, token_for
from tests.support import command, open_account

TINY = {"commands": "3/min", "reads": "2/min"}


@pytest.fixture
def throttle_cache(tmp_path) -> Iterator[None]:
    """The real file-based cache, in a folder of this test's own (no counts from other tests)."""
    cache = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "throttle"),
        },
    }
    with override_settings(CACHES=cache, THROTTLE_RATES=TINY):
        yield


def assert_throttled(response, limit_seconds: int = 60) -> None:
    assert response.status_code == 429, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "throttled"
    assert "throttled" in body["detail"]
    assert 0 < int(response["Retry-After"]) <= limit_seconds


def test_commands_are_limited_per_client(teller, throttle_cache):
    account = open_account(teller)  # 1
    for _ in range(2):  # 2, 3
        assert command(teller, account, "deposit", amount="1.00").status_code == 200
    refused = command(teller, account, "deposit", amount="1.00")
    assert_throttled(refused)
    # Nothing was stored for the refused command.
    assert teller.get(f"/api/v1/accounts/{account}/events/").json()["events"][-1]["version"] == 3
    # Another client, and this client's reads, have limits of their own.
    other = client_for("teller", "other-teller")
    assert command(other, account, "deposit", amount="1.00").status_code == 200


def test_reads_are_limited_per_client_across_read_endpoints(teller, auditor, throttle_cache):
    unknown = uuid.uuid4()
    assert auditor.get(f"/api/v1/accounts/{unknown}/").status_code == 404
    assert auditor.get("/api/v1/accounts/").status_code == 200
    assert_throttled(auditor.get(f"/api/v1/accounts/{unknown}/events/"))
    assert_throttled(auditor.get("/api/v1/accounts/"))
    # The teller reads and commands on, untouched by the auditor's limit.
    assert teller.get("/api/v1/accounts/").status_code == 200
    assert open_account(teller)


def test_leased_counts_let_exactly_the_limit_through(auditor, throttle_cache):
    """A process takes several requests per visit to the shared count; never more than the limit."""
    with override_settings(THROTTLE_RATES={"commands": None, "reads": "100/min"}):
        codes = [auditor.get("/api/v1/accounts/").status_code for _ in range(101)]
    assert codes == [200] * 100 + [429]


def test_the_shared_count_is_visited_once_per_lease_not_per_request(auditor, throttle_cache):
    with override_settings(THROTTLE_RATES={"commands": None, "reads": "30000/min"}):
        with mock.patch.object(
            FileBasedCache, "set", autospec=True, wraps=FileBasedCache.set
        ) as put:
            for _ in range(MAX_LEASE):
                assert auditor.get("/api/v1/accounts/").status_code == 200
        assert put.call_count == 1
        [(_, _, (_, count))] = [call.args[:3] for call in put.call_args_list]
        assert count == MAX_LEASE


def test_requests_leased_by_a_process_that_died_are_spent_never_given_twice(
    auditor, throttle_cache
):
    """Leases lost with a process (here: forgotten) count as spent; the limit still holds."""
    with override_settings(THROTTLE_RATES={"commands": None, "reads": "160/min"}):
        ok = 0
        for _ in range(5):
            ok += auditor.get("/api/v1/accounts/").status_code == 200
            forget_leases()  # the next request comes to "another process"
        while auditor.get("/api/v1/accounts/").status_code == 200:
            ok += 1
    # The first lease of 160 is 10 (160 // 16), and each lost one is at most a 16th of the rest.
    assert 160 - 5 * 10 <= ok < 160


def test_an_empty_rate_means_no_limit(auditor, throttle_cache):
    with override_settings(THROTTLE_RATES={"commands": None, "reads": None}):
        for _ in range(5):
            assert auditor.get("/api/v1/accounts/").status_code == 200


def test_anonymous_calls_are_refused_before_any_limit(client, db, throttle_cache):
    for _ in range(4):
        response = client.get("/api/v1/accounts/")
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"


def test_the_limit_holds_across_gunicorn_workers(transactional_db, event_store_db, tmp_path):
    """Each request on a new connection may land on either worker; the count is shared."""
    headers = authorization(token_for("auditor"))
    env = {
        **child_env(),
        "THROTTLE_READS_RATE": "5/min",
        "THROTTLE_CACHE_URL": f"filecache://{tmp_path}/throttle",
        "DEBUG": "false",
    }
    accounts = "/api/v1/accounts/"
    # Ready once an anonymous read is refused (401): that read counts against no client.
    with Gunicorn(
        tmp_path / "gunicorn.log",
        *("--workers", "3"),
        env=env,
        ready=lambda base: answers(base + accounts, 401),
    ) as server:
        statuses = [
            requests.get(server.url + accounts, headers=headers, timeout=10) for _ in range(12)
        ]
    codes = [r.status_code for r in statuses]
    assert codes == [200] * 5 + [429] * 7, codes
    assert statuses[-1].json()["code"] == "throttled"
    assert int(statuses[-1].headers["Retry-After"]) > 0
