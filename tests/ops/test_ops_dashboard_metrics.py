"""Every metric the dashboard and the rules read is on a /metrics after a real run: a gunicorn
that served commands, queries and a transfer, and a consume_events (with its relay) that
projected them. Names are compared with the exposed sample names (`_total`, `_bucket`, `_count`
as Prometheus stores them), so a renamed metric or a wrong suffix fails here."""

import re
import uuid
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from apps.accounts_query.models import Account
from tests.harness.gunicorn import gunicorn
from tests.harness.processes import start_worker, stop
from tests.harness.tokens import authorization, token_for
from tests.ops.promql_names import dashboard_exprs, metric_names, rules
from tests.support import wait_until

pytestmark = pytest.mark.kafka

# Made by Prometheus itself when it scrapes, never by a target.
SCRAPE_SERIES = {"up"}


def sample_names(text: str) -> set[str]:
    return {s.name for f in text_string_to_metric_families(text) for s in f.samples}


def exercise(url: str, headers: dict[str, str]) -> int:
    """Commands (one refused), queries and a transfer over HTTP; the events it recorded."""
    api = f"{url}/api/v1"

    def post(path: str, body: dict) -> requests.Response:
        return requests.post(f"{api}/{path}", json=body, headers=headers, timeout=30)

    opened = [
        post(
            "accounts/open/",
            {"holder": f"ops {n}", "account_type": "SAVINGS", "opening_balance": "0.00"},
        )
        for n in range(2)
    ]
    assert [r.status_code for r in opened] == [201, 201], opened[0].text
    a, b = (r.json()["id"] for r in opened)
    assert post(f"accounts/{a}/deposit/", {"amount": "50.00"}).status_code == 200
    assert post(f"accounts/{a}/withdraw/", {"amount": "999.00"}).status_code == 422
    assert post("transfers/", {"from_account": a, "to_account": b, "amount": "5.00"}).ok
    # min_version: wait (up to 10 s) for the worker to project the deposit.
    for path in (
        f"accounts/{a}/?min_version=2&wait=10",
        "accounts/",
        f"accounts/{a}/events/",
        "transfers/",
    ):
        assert requests.get(f"{api}/{path}", headers=headers, timeout=30).ok, path
    return 3  # two opened, one deposit


def test_every_metric_of_the_dashboard_and_rules_is_exposed(
    transactional_db, event_store_db, kafka_topic, tmp_path: Path
):
    log = tmp_path / "worker.log"
    worker = start_worker(f"test-ops-{uuid.uuid4().hex[:8]}", log=log)
    try:
        found = wait_until(
            lambda: re.search(r"health and metrics on (http://127\.0\.0\.1:\d+)/", log.read_text()),
            timeout=60,
            what=f"the worker's metrics port in {log}",
        )
        worker_metrics = f"{found.group(1)}/metrics"
        headers = authorization(token_for("teller", "ops-dashboard"))
        with gunicorn(tmp_path / "web.log") as url:
            events = exercise(url, headers)
            web = requests.get(f"{url}/metrics", timeout=30).text
        wait_until(
            lambda: sum(Account.objects.values_list("version", flat=True)) >= events,
            timeout=60,
            what=f"the worker to project {events} events (log: {log})",
        )
        worker_text = wait_until(
            lambda: (
                text
                if "techbank_projection_lag_messages{"
                in (text := requests.get(worker_metrics, timeout=10).text)
                else None
            ),
            timeout=30,
            what="the worker's lag per partition on its /metrics",
        )
    finally:
        stop(worker)

    exposed = sample_names(web) | sample_names(worker_text) | SCRAPE_SERIES
    recorded = {r["record"] for r in rules() if "record" in r}
    wanted = {
        n for e in [*dashboard_exprs(), *(r["expr"] for r in rules())] for n in metric_names(e)
    }
    assert len(wanted - recorded) >= 18
    assert wanted - recorded - exposed == set()
    # django-prometheus's database and cache metrics are on the web's own /metrics.
    for name in (
        "django_db_execute_total",
        "django_db_new_connections_total",
        "django_db_query_duration_seconds_bucket",
        "django_cache_get_total",
        "django_cache_get_hits_total",
        "django_cache_get_misses_total",
    ):
        assert name in sample_names(web), name
