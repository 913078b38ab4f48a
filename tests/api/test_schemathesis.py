"""Schemathesis fuzzes the whole OpenAPI schema (both sides) against a real gunicorn server."""

import os
import shutil
import subprocess

import pytest
import requests
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apps.eventstore.documents import EventDocument
from tests.harness.gunicorn import gunicorn
from tests.harness.processes import PY, ROOT
from tests.harness.tokens import authorization, token_for
from tests.support import NOT_USERS

CHECKS = ",".join(
    [
        # tests/api/schemathesis_checks.py (SCHEMATHESIS_HOOKS): no 5xx but the documented 503
        # of a read-your-writes wait that ran out; every error the JSON envelope with a code.
        "no_server_error",
        "error_envelope",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)


@pytest.mark.kafka
def test_no_5xx_and_no_response_outside_the_schema(transactional_db, event_store_db, tmp_path):
    token = token_for("teller")
    # The fuzzer builds URLs of many kilobytes; gunicorn's own 414 for those is the web
    # server's limit, not the app's answer, and this test is about the app.
    limits = ("--limit-request-line", "0")
    # Waits of hundredths of a second: an example's min_version is never reached here.
    waits = {"READ_WAIT_DEFAULT_SECONDS": "0.02", "READ_WAIT_MAX_SECONDS": "0.05"}
    with gunicorn(tmp_path / "web.log", "--workers", "2", *limits, **waits) as base:
        schema = f"{base}/api/schema/"
        st = shutil.which("schemathesis", path=str(ROOT / ".venv/bin")) or PY
        result = subprocess.run(
            [
                st,
                "run",
                schema,
                "-H",
                f"Authorization: Token {token}",
                "--checks",
                CHECKS,
                "--max-time",
                "45",
                "--seed",
                "1",
                "--no-color",
                "--output-truncate",
                "true",
            ],
            cwd=tmp_path,
            env={
                **os.environ,
                "SCHEMATHESIS_HOOKS": "tests.api.schemathesis_checks",
                "PYTHONPATH": str(ROOT),
            },
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout


# --- issue 9's hostile inputs, as explicit examples through schemathesis' own checks ---------

AMOUNTS_THAT_ARE_NOT_MONEY = ["\u0661\u0660", "\uff11\uff10", "1_0.00", "+5", " 5", "5.", "1e2"]


def explicit_examples(account: str) -> list[tuple[str, object, dict, int, str]]:
    """(operation path, body, extra headers, status, code) for each case the issue reproduced."""
    typed = {"Content-Type": "application/json"}
    opened = {"holder": "Ada", "account_type": "SAVINGS"}
    cases: list[tuple[str, object, dict, int, str]] = [
        ("open", b"[" * 100_000, typed, 413, "request_too_large"),
        ("open", b"[" * 60_000, typed, 400, "parse_error"),
        ("open", b'{"holder": ' + b"x" * 3 * 1024 * 1024 + b"}", typed, 413, "request_too_large"),
        ("open", {**opened, "opening_balance": "-0"}, {}, 400, "invalid_input"),
    ]
    for charset in ("bz2_codec", "rot13"):
        headers = {"Content-Type": f"application/json; charset={charset}"}
        cases.append(("deposit", b'{"amount": "1.00"}', headers, 415, "unsupported_media_type"))
    for amount in AMOUNTS_THAT_ARE_NOT_MONEY:
        cases.append(("deposit", {"amount": amount}, {}, 400, "invalid_input"))
        cases.append(("open", {**opened, "opening_balance": amount}, {}, 400, "invalid_input"))
    for name, body in [
        ("deposit", {"amount": "1.00", "expected_versoin": 1}),
        ("withdraw", {"amount": "1.00", "expected_versoin": 1}),
        ("close", {"expected_versoin": 1}),
    ]:
        cases.append((name, body, {}, 400, "invalid_input"))
    return cases


@pytest.mark.kafka
def test_the_issues_hostile_inputs_as_explicit_examples(transactional_db, event_store_db, tmp_path):
    auth = authorization(token_for("teller"))
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    with gunicorn(tmp_path / "web.log", "--workers", "2") as base:
        schema = schemathesis.openapi.from_url(f"{base}/api/schema/?format=json")
        opened = requests.post(
            f"{base}/api/v1/accounts/open/",
            json={"holder": "Ada", "account_type": "SAVINGS", "opening_balance": "5.00"},
            headers=auth,
            timeout=30,
        )
        account = opened.json()["id"]
        for name, body, headers, status, code in explicit_examples(account):
            path = (
                "/api/v1/accounts/open/"
                if name == "open"
                else f"/api/v1/accounts/{{account_id}}/{name}/"
            )
            operation = schema[path]["POST"]
            case = operation.Case(
                body=body,
                media_type="application/json",
                path_parameters={} if name == "open" else {"account_id": account},
            )
            response = case.call_and_validate(
                base_url=base, headers={**auth, **headers}, checks=checks
            )
            assert (response.status_code, response.json()["code"]) == (status, code), (name, body)
    assert EventDocument._get_collection().count_documents(NOT_USERS) == 1
