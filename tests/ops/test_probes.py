"""The web server's /healthz, /readyz and /metrics, against the real servers."""

import threading
import time

import pytest
from django.conf import settings as django_settings
from django.test import Client

from operations import health
from tests.ops.support import frozen_server, sample
from tests.support import open_account

DEPENDENCIES = ("mysql", "event_store", "kafka")
TOKEN = "ops-token-for-details"
WITH_TOKEN = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@pytest.fixture
def ops_token(settings) -> dict[str, str]:
    """METRICS_TOKEN set; the headers of a caller that sends it."""
    settings.METRICS_TOKEN = TOKEN
    return WITH_TOKEN


def test_healthz_answers_without_a_token_or_any_server():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}


def test_probes_answer_a_host_that_allowed_hosts_refuses():
    # A load balancer or Prometheus addresses the server by its IP.
    assert "10.1.2.3" not in django_settings.ALLOWED_HOSTS
    assert Client().get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert Client().get("/metrics", HTTP_HOST="10.1.2.3:8000").status_code == 200
    # Everything else still checks the Host.
    assert Client().get("/api/v1/", HTTP_HOST="10.1.2.3:8000").status_code == 400


def test_probes_are_read_only_with_json_errors():
    response = Client().post("/readyz")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_probes_are_not_under_the_api():
    assert Client().get("/api/v1/healthz").status_code == 404


def test_readyz_tells_an_anonymous_caller_only_up(ops_token):
    response = Client().get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ready"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_is_ready_when_every_server_answers(ops_token):
    response = Client().get("/readyz", **ops_token)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == set(DEPENDENCIES)
    for check in body["checks"].values():
        assert check["status"] == "up"
        assert 0 <= check["seconds"] < 2


def point_at(dependency: str, port: int, swapped_settings, monkeypatch) -> None:
    """The app's `dependency` on 127.0.0.1:`port` until the test ends."""
    if dependency == "mysql":
        database = django_settings.DATABASES["default"]
        monkeypatch.setitem(database, "HOST", "127.0.0.1")
        monkeypatch.setitem(database, "PORT", port)
    elif dependency == "event_store":
        swapped_settings(MONGODB_URL=f"mongodb://127.0.0.1:{port}/techbank")
    else:
        swapped_settings(KAFKA_BOOTSTRAP_SERVERS=f"127.0.0.1:{port}")


@pytest.mark.parametrize("dependency", DEPENDENCIES)
def test_readyz_answers_503_within_3s_when_a_server_hangs(
    dependency, swapped_settings, monkeypatch, ops_token
):
    with frozen_server() as port:
        point_at(dependency, port, swapped_settings, monkeypatch)
        started = time.monotonic()
        response = Client().get("/readyz", **ops_token)
        elapsed = time.monotonic() - started
    assert elapsed < 3, f"/readyz took {elapsed:.2f}s"
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not_ready"
    assert body["checks"][dependency]["status"] == "down"
    assert body["checks"][dependency]["detail"]
    others = [name for name in DEPENDENCIES if name != dependency]
    assert [body["checks"][name]["status"] for name in others] == ["up", "up"], body


@pytest.mark.parametrize("dependency", DEPENDENCIES)
def test_readyz_names_a_server_that_refuses(dependency, swapped_settings, monkeypatch, ops_token):
    with frozen_server() as port:
        pass  # closed again: nothing listens on the port now
    point_at(dependency, port, swapped_settings, monkeypatch)
    response = Client().get("/readyz", **ops_token)
    assert response.status_code == 503
    assert response.json()["checks"][dependency]["status"] == "down"


@pytest.mark.parametrize("token", ["", TOKEN])
@pytest.mark.parametrize("sent", [None, "Bearer wrong", "Basic b3BzOnRva2Vu"])
def test_an_anonymous_caller_never_sees_why_mysql_hangs(
    token, sent, swapped_settings, monkeypatch, settings, caplog
):
    # The row: a hanging MySQL answered anyone with the driver's error text.
    settings.METRICS_TOKEN = token
    headers = {"HTTP_AUTHORIZATION": sent} if sent else {}
    with frozen_server() as port:
        point_at("mysql", port, swapped_settings, monkeypatch)
        response = Client().get("/readyz", **headers)
    assert response.status_code == 503
    assert response.json() == {"status": "not_ready"}
    assert b"Error" not in response.content and b"mysql" not in response.content
    # The operator still learns why: from the log (or with the token, above).
    assert "readiness: mysql is down" in caplog.text


def test_a_flood_of_readyz_costs_one_check_round_per_second(monkeypatch, settings):
    settings.READINESS_REUSE_SECONDS = 1.0
    runs = {name: 0 for name in DEPENDENCIES}
    counter = threading.Lock()

    def counted(name: str, check: health.Check) -> health.Check:
        def run(timeout: float) -> str:
            with counter:
                runs[name] += 1
            time.sleep(0.2)  # a round still running when most of the flood arrives
            return check(timeout)

        return run

    for name, check in list(health.CHECKS.items()):
        monkeypatch.setitem(health.CHECKS, name, counted(name, check))
    statuses: list[int] = []
    barrier = threading.Barrier(24)

    def flood() -> None:
        client = Client()
        barrier.wait()
        for _ in range(5):
            statuses.append(client.get("/readyz").status_code)

    started = time.monotonic()
    threads = [threading.Thread(target=flood) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    elapsed = time.monotonic() - started
    assert statuses == [200] * 120
    # One round, plus one per further window the flood lasted (it lasts well under one).
    rounds = 1 + int(elapsed)
    assert set(runs.values()) == {runs["mysql"]}, runs
    assert 1 <= runs["mysql"] <= rounds, (runs, elapsed)
    # Past the window the next probe checks again.
    time.sleep(1.05)
    assert Client().get("/readyz").status_code == 200
    assert runs["mysql"] == runs["kafka"] <= rounds + 1 and runs["mysql"] >= 2


def test_metrics_is_prometheus_text_counting_requests_by_route():
    client = Client()
    before = sample(client.get("/metrics").content.decode(), "techbank_http_requests_total")
    assert client.get("/healthz").status_code == 200
    assert client.get("/no/such/path/").status_code == 404
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    route = {"route": "healthz", "method": "GET", "status": "200"}
    assert sample(text, "techbank_http_requests_total", **route) >= 1
    unmatched = {"route": "<unmatched>", "status": "404"}
    assert sample(text, "techbank_http_requests_total", **unmatched) >= 1
    # The two requests, and the first scrape (counted once it was answered).
    assert sample(text, "techbank_http_requests_total") == before + 3
    assert sample(text, "techbank_http_request_duration_seconds_count", route="healthz") >= 1


def test_metrics_label_the_url_pattern_not_the_path(teller):
    account = open_account(teller)
    teller.post(f"/api/v1/accounts/{account}/deposit/", {"amount": "5.00"}, format="json")
    text = Client().get("/metrics").content.decode()
    route = "api/v1/accounts/<str:account_id>/deposit/"
    assert sample(text, "techbank_http_requests_total", route=route, status="200") >= 1
    assert account not in text


def test_metrics_token_when_set(settings):
    settings.METRICS_TOKEN = "s3cret-metrics"
    client = Client()
    missing = client.get("/metrics")
    assert missing.status_code == 401
    assert missing.json()["code"] == "not_authenticated"
    assert missing["WWW-Authenticate"].startswith("Bearer")
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "authentication_failed"
    right = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-metrics")
    assert right.status_code == 200
    assert sample(right.content.decode(), "techbank_http_requests_total") > 0
    # The probes stay open.
    assert client.get("/healthz").status_code == 200
