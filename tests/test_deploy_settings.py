"""Deployment defaults: with DEBUG off and nothing else said, the site is HTTPS-only and
`manage.py check --deploy` has nothing to warn about; a machine that says HTTPS_ONLY=false
(this one: make run, the tests) keeps serving plain HTTP."""

import os
import secrets
import subprocess

import pytest
from django.test import Client

from tests.harness.processes import PY, ROOT


def production_env(**more: str) -> dict[str, str]:
    """A production process's environment: no .env file (as in the Docker image), DEBUG off,
    a long random key, the site's own host name; everything else from the defaults."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    return {
        **keep,
        "ENV_FILE": "",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "bank.example.com",
        **more,
    }


def check_deploy(env: dict[str, str]) -> list[str]:
    done = subprocess.run(
        [PY, "manage.py", "check", "--deploy", "--fail-level", "CRITICAL"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return [line for line in (done.stdout + done.stderr).splitlines() if line.startswith("?: (")]


def test_check_deploy_warns_of_nothing_with_the_production_defaults():
    assert check_deploy(production_env()) == []


def test_check_deploy_still_warns_when_a_deployment_turns_https_off():
    # Nothing is silenced: a plain-HTTP deployment hears about each part it gave up.
    warned = "\n".join(check_deploy(production_env(HTTPS_ONLY="false")))
    for code in ("W004", "W008", "W012", "W016"):
        assert f"security.{code}" in warned, warned


def test_one_part_can_be_turned_off_alone():
    warned = check_deploy(production_env(SECURE_HSTS_PRELOAD="false"))
    assert [line.split(")")[0] for line in warned] == ["?: (security.W021"]


@pytest.fixture
def https_only(settings) -> None:
    """The production values of transport.py, in this process."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True


def test_behind_the_tls_proxy_plain_http_is_redirected_and_https_gets_hsts(https_only, db):
    plain = Client().get("/api/v1/", HTTP_HOST="localhost")
    assert plain.status_code == 301
    assert plain["Location"] == "https://localhost/api/v1/"
    secure = Client().get("/api/v1/", HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code != 301
    assert secure["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    login = Client().get("/admin/login/", HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
    assert login.cookies["csrftoken"]["secure"] is True


def test_the_probes_answer_plain_http_inside_the_network(https_only):
    # An orchestrator's health check calls the process directly, without the proxy.
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/readyz").status_code in (200, 503)
    assert Client().get("/metrics").status_code in (200, 401)
