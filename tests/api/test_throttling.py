"""Per-client request limits: one budget per scope, 429 + Retry-After, JSON."""

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest
import requests
from django.conf import settings
from django.test import override_settings

from api_platform.file_cache import LockedFileCache
from api_platform.throttling import MAX_LEASE, forget_leases
from tests.harness.gunicorn import Gunicorn, answers
from tests.harness.processes import child_env
from tests.harness.swapped_settings import file_throttle_caches
from tests.harness.tokens import authorization, client_for, request_oauth_token, token_for
from tests.support import command, open_account

TINY = {scope: None for scope in settings.THROTTLE_RATES} | {"commands": "3/min", "reads": "2/min"}


def only(**rates: str) -> dict[str, str | None]:
    """These rates, every other scope unlimited."""
    return {scope: None for scope in settings.THROTTLE_RATES} | rates


@pytest.fixture
def throttle_cache(tmp_path) -> Iterator[None]:
    """The real file cache, in a folder of this test's own (no counts from other tests)."""
    cache = file_throttle_caches(tmp_path)
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
    assert_throttled(auditor.get(f"/api/v1/accounts/{unknown}/"))
    assert_throttled(auditor.get("/api/v1/accounts/"))
    # The teller reads and commands on, untouched by the auditor's limit.
    assert teller.get("/api/v1/accounts/").status_code == 200
    assert open_account(teller)


@pytest.mark.parametrize(
    ("scope", "path"),
    [
        ("events", "/api/v1/accounts/{id}/events/"),
        ("as_of", "/api/v1/accounts/{id}/as-of/?version=1"),
        ("statement", "/api/v1/accounts/{id}/transactions/"),
        ("transfers", "/api/v1/transfers/"),
        ("transfers", "/api/v1/transfers/{id}/"),
    ],
)
def test_each_scope_is_a_budget_of_its_own(auditor, throttle_cache, scope, path):
    url = path.format(id=uuid.uuid4())
    with override_settings(THROTTLE_RATES=only(**{scope: "2/min", "reads": "1/min"})):
        answers = [auditor.get(url).status_code for _ in range(2)]
        assert 429 not in answers, answers
        assert_throttled(auditor.get(url))
        # The reads' budget is untouched by it (and the other way round).
        assert auditor.get("/api/v1/accounts/").status_code == 200


def test_a_transfer_request_counts_against_the_transfers_budget(teller, throttle_cache):
    a, b = open_account(teller), open_account(teller)
    with override_settings(THROTTLE_RATES=only(transfers="2/min")):
        body = {"from_account": a, "to_account": b, "amount": "1.00"}
        assert teller.post("/api/v1/transfers/", body, format="json").status_code == 202
        assert teller.get("/api/v1/transfers/").status_code == 200
        assert_throttled(teller.post("/api/v1/transfers/", body, format="json"))


def test_leased_counts_let_exactly_the_limit_through(auditor, throttle_cache):
    """A process takes several requests per visit to the shared count; never more than the limit."""
    with override_settings(THROTTLE_RATES=only(reads="100/min")):
        codes = [auditor.get("/api/v1/accounts/").status_code for _ in range(101)]
    assert codes == [200] * 100 + [429]


def test_the_shared_count_is_visited_once_per_lease_not_per_request(auditor, throttle_cache):
    with override_settings(THROTTLE_RATES=only(reads="30000/min")):
        real = LockedFileCache.incr
        with mock.patch.object(LockedFileCache, "incr", autospec=True, side_effect=real) as incr:
            for _ in range(MAX_LEASE):
                assert auditor.get("/api/v1/accounts/").status_code == 200
            assert incr.call_count == 1
            [(_, _, taken)] = [call.args for call in incr.call_args_list]
            assert taken == MAX_LEASE
            assert auditor.get("/api/v1/accounts/").status_code == 200  # the next lease
            assert incr.call_count == 2


def test_requests_leased_by_a_process_that_died_are_spent_never_given_twice(
    auditor, throttle_cache
):
    """Leases lost with a process (here: forgotten) count as spent; the limit still holds."""
    with override_settings(THROTTLE_RATES=only(reads="160/min")):
        ok = 0
        for _ in range(5):
            ok += auditor.get("/api/v1/accounts/").status_code == 200
            forget_leases()  # the next request comes to "another process"
        while auditor.get("/api/v1/accounts/").status_code == 200:
            ok += 1
    # The first lease of 160 is 10 (160 // 16), and each lost one is at most a 16th of the rest.
    assert 160 - 5 * 10 <= ok < 160


def test_an_empty_rate_means_no_limit(auditor, throttle_cache):
    with override_settings(THROTTLE_RATES=only()):
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
        # Another client, 30 requests at once over 12 threads of 3 processes: still 5.
        teller = authorization(token_for("teller"))
        with ThreadPoolExecutor(30) as pool:
            at_once = list(
                pool.map(
                    lambda _: requests.get(server.url + accounts, headers=teller, timeout=30),
                    range(30),
                )
            )
    codes = [r.status_code for r in statuses]
    assert codes == [200] * 5 + [429] * 7, codes
    assert sorted(r.status_code for r in at_once) == [200] * 5 + [429] * 25
    assert statuses[-1].json()["code"] == "throttled"
    assert int(statuses[-1].headers["Retry-After"]) > 0


def token_call(client_id: str, address: str = "127.0.0.1"):
    return request_oauth_token(client_id, "wrong", REMOTE_ADDR=address)


def test_the_token_endpoint_is_limited_per_client_id_and_per_address(db, throttle_cache):
    with override_settings(THROTTLE_RATES=only(token_client="2/min", token_address="4/min")):
        assert [token_call("guess-1").status_code for _ in range(2)] == [401, 401]
        assert_throttled(token_call("guess-1"))  # that client id's budget (2)
        assert token_call("guess-2").status_code == 401  # the address's fourth
        assert_throttled(token_call("guess-3"))  # the address's budget (4), whatever the id
        # Elsewhere, another id is untouched; the first id stays limited from anywhere.
        assert token_call("guess-4", address="10.0.0.9").status_code == 401
        assert_throttled(token_call("guess-1", address="10.0.0.9"))
