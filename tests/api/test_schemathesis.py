"""Schemathesis fuzzes the whole OpenAPI schema (both sides) against a real gunicorn server."""

import shutil
import subprocess
import sys
from io import StringIO

import pytest
import requests
from django.core.management import call_command

from tests.conftest import _ensure_roles
from tests.e2e.private_kafka import free_port
from tests.processes import ROOT, child_env
from tests.support import wait_until

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False


@pytest.mark.kafka
def test_no_5xx_and_no_response_outside_the_schema(transactional_db, event_store_db, tmp_path):
    _ensure_roles()
    out = StringIO()
    call_command("create_api_client", "fuzzer", role="teller", stdout=out)
    token = out.getvalue().split()[-1]
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "techbank.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            # The fuzzer builds URLs of many kilobytes; gunicorn's own 414 for those is the
            # web server's limit, not the app's answer, and this test is about the app.
            "--limit-request-line",
            "0",
        ],
        cwd=ROOT,
        env={**child_env(), "DEBUG": "false"},
        stdout=(tmp_path / "web.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        schema = f"http://127.0.0.1:{port}/api/schema/"
        wait_until(lambda: answers(schema), timeout=30, what="gunicorn to serve the schema")
        st = shutil.which("schemathesis", path=str(ROOT / ".venv/bin")) or sys.executable
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
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        server.terminate()
        server.wait(30)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
