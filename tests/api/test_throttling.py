"""Per-client request limits: separate for commands and reads, 429 + Retry-After, JSON."""

import subprocess
import uuid
from collections.abc import Iterator
from io import StringIO

import pytest
import requests
from django.core.management import call_command
from django.test import override_settings

from tests.conftest import _client_for, _ensure_roles
from tests.e2e.private_kafka import free_port
from tests.processes import ROOT, child_env
from tests.support import command, open_account, wait_until

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
    other = _client_for("teller", "other-teller")
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
    _ensure_roles()
    out = StringIO()
    call_command("create_api_client", "reader", role="auditor", stdout=out)
    token = out.getvalue().split()[-1]
    port = free_port()
    bind = f"127.0.0.1:{port}"
    env = {
        **child_env(),
        "THROTTLE_READS_RATE": "5/min",
        "THROTTLE_CACHE_URL": f"filecache://{tmp_path}/throttle",
        "DEBUG": "false",
    }
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "techbank.wsgi", "--workers", "3", "--bind", bind],
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / "gunicorn.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/api/v1/accounts/"
    headers = {"Authorization": f"Token {token}"}
    try:
        wait_until(lambda: answers(url), timeout=60, what="gunicorn to answer")
        statuses = [requests.get(url, headers=headers, timeout=10) for _ in range(12)]
    finally:
        server.terminate()
        server.wait(30)
    codes = [r.status_code for r in statuses]
    assert codes == [200] * 5 + [429] * 7, codes
    assert statuses[-1].json()["code"] == "throttled"
    assert int(statuses[-1].headers["Retry-After"]) > 0


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 401
    except requests.RequestException:
        return False
