"""One command followed by its request id: HTTP request, stored event, Kafka headers (also when
the relay sends it), and the worker's JSON log line for its projection into MySQL."""

import json
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from confluent_kafka import Consumer, Message
from django.conf import settings

from apps.accounts_command.domain.commands import DepositFunds
from apps.accounts_query.models import Account
from kernel import request_context
from kernel.kafka_config import consumer_config
from kernel.kafka_messages import headers_of
from tests import wired
from tests.harness.gunicorn import Gunicorn
from tests.harness.processes import child_env, running, start_worker
from tests.harness.tokens import authorization, token_for
from tests.support import wait_until

pytestmark = pytest.mark.kafka


def read_messages(account_id: str, versions: int) -> dict[int, Message]:
    """The first `versions` events of the account on this test's topic, by version."""
    consumer = Consumer(
        consumer_config(settings.KAFKA_BOOTSTRAP_SERVERS, f"test-reader-{uuid.uuid4().hex[:8]}")
    )
    consumer.subscribe([settings.KAFKA_EVENTS_TOPIC])
    found: dict[int, Message] = {}

    def all_found() -> bool:
        message = consumer.poll(0.5)
        if message is not None and not message.error() and message.key() == account_id.encode():
            found[json.loads(message.value() or b"")["version"]] = message
        return len(found) >= versions

    try:
        wait_until(all_found, timeout=30, interval=0, what=f"{versions} events on the topic")
    finally:
        consumer.close()
    return found


def request_id_header(message: Message) -> str | None:
    values = [(v or b"").decode() for key, v in headers_of(message) if key == "request_id"]
    assert len(values) <= 1, message.headers()
    return values[0] if values else None


def test_the_request_id_travels_in_the_stored_event_and_the_kafka_headers(teller, kafka_topic):
    opened = teller.post(
        "/api/v1/accounts/open/",
        {"holder": "Ada Lovelace", "account_type": "SAVINGS", "opening_balance": "1.00"},
        format="json",
        HTTP_X_REQUEST_ID="open-req-1",
    )
    account_id = opened.json()["id"]
    deposited = teller.post(
        f"/api/v1/accounts/{account_id}/deposit/",
        {"amount": "2.00"},
        format="json",
        HTTP_X_REQUEST_ID="deposit-req-2",
    )
    assert (opened["X-Request-ID"], deposited["X-Request-ID"]) == ("open-req-1", "deposit-req-2")
    messages = read_messages(account_id, 2)
    assert request_id_header(messages[1]) == "open-req-1"
    assert request_id_header(messages[2]) == "deposit-req-2"
    store = wired.event_store()
    for version, rid in ((1, "open-req-1"), (2, "deposit-req-2")):
        metadata = store.get(account_id, version).metadata
        # A request is its own correlation; the actor and the command id: tests/api/
        # test_event_actors.py.
        assert (metadata["request_id"], metadata["correlation_id"]) == (rid, rid)
        assert set(metadata) == {"request_id", "correlation_id", "actor", "causation_id"}
    # Outside a request nothing is made up.
    assert request_context.request_id() is None


def test_a_relayed_event_keeps_its_request_id(teller, kafka_topic):
    account_id = teller.post(
        "/api/v1/accounts/open/",
        {"holder": "Alan Turing", "account_type": "SAVINGS", "opening_balance": "1.00"},
        format="json",
    ).json()["id"]
    assert wired.publisher().flush(10) == 0  # the opening is acknowledged: not the relay's
    # A web process that stored the event and died before publishing it.
    crashed_web, _ = wired.unpublished()
    with request_context.bound(request_id="lost-then-relayed"):
        crashed_web.dispatch(DepositFunds(uuid.UUID(account_id), Decimal("3.00")))
    assert wired.relay(grace_seconds=0).run_once() == 1
    assert request_id_header(read_messages(account_id, 2)[2]) == "lost-then-relayed"


def json_log(path: Path) -> list[dict]:
    """Every line of a process's output, each of which must be one JSON object."""
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    assert all(isinstance(line, dict) for line in lines)
    return lines


def lines_with(path: Path, request_id: str, message: str) -> list[dict]:
    return [
        line
        for line in json_log(path)
        if line.get("request_id") == request_id and line["message"].startswith(message)
    ]


def test_one_command_followed_from_http_to_mysql_in_json_logs(
    transactional_db, event_store_db, kafka_topic, tmp_path, monkeypatch
):
    monkeypatch.setenv("LOG_FORMAT", "json")
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    auth = authorization(token_for("teller"))
    web_log, worker_log = tmp_path / "web.log", tmp_path / "worker.log"
    # As scripts/run.sh starts it.
    web = Gunicorn(
        web_log,
        *("--workers", "1", "--access-logfile", "-", "--config", "gunicorn.conf.py"),
        env=child_env(),
    )
    worker = start_worker(f"test-trace-{uuid.uuid4().hex[:8]}", "--no-relay", log=worker_log)
    with running(worker), web:
        base = f"{web.url}/api/v1/accounts"
        opened = requests.post(
            f"{base}/open/",
            json={"holder": "Grace Hopper", "account_type": "CURRENT", "opening_balance": "0"},
            headers=auth,
            timeout=30,
        )
        assert opened.status_code == 201, opened.text
        account_id = opened.json()["id"]
        rid = f"trace-{uuid.uuid4().hex}"
        deposit = requests.post(
            f"{base}/{account_id}/deposit/",
            json={"amount": "12.50"},
            headers={**auth, "X-Request-ID": rid},
            timeout=30,
        )
        assert (deposit.status_code, deposit.headers["X-Request-ID"]) == (200, rid)

        (projected,) = wait_until(
            lambda: lines_with(worker_log, rid, "event projected"),
            timeout=60,
            what=f"the worker's line for {rid} (log: {worker_log})",
        )
        # The web process wrote its lines before answering; the access line right after.
        wait_until(lambda: lines_with(web_log, rid, "127.0.0.1 - - "), what="the access line")
    # Both stopped by SIGTERM on leaving the block, as an orchestrator stops them.

    message = read_messages(account_id, 2)[2]
    stored = wired.event_store().get(account_id, 2)
    assert projected["level"] == "debug"
    assert projected["logger"] == "apps.accounts_query.projection"
    assert projected["account_id"] == account_id
    assert projected["version"] == 2
    assert projected["event_id"] == stored.event_id
    assert (projected["partition"], projected["offset"]) == (message.partition(), message.offset())
    assert Account.objects.get(pk=account_id).balance == Decimal("12.50")

    (handled,) = lines_with(web_log, rid, "command handled")
    assert (handled["command"], handled["account_id"], handled["version"]) == (
        "DepositFunds",
        account_id,
        2,
    )
    # Every line of both processes is JSON, gunicorn's own included.
    loggers = {line["logger"] for line in json_log(web_log)}
    assert {"gunicorn.error", "gunicorn.access"} <= loggers
    assert "stopping after the current batch" in " ".join(
        line["message"] for line in json_log(worker_log)
    )
