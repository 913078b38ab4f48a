"""A Django process configured by the settings writes each record once, in the chosen format."""

import json
import subprocess
import sys

import pytest

from tests.harness.processes import ROOT

SCRIPT = (
    "import logging;"
    "logging.getLogger('django.request').warning('Not Found: %s', '/nowhere');"
    "logging.getLogger('apps.anything').info('hello', extra={'account_id': 'a1'})"
)


def run_manage(log_format: str, debug: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SCRIPT],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "LOG_FORMAT": log_format, "DEBUG": debug, "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]


@pytest.mark.parametrize("debug", ["true", "false"])
def test_json_every_record_once_as_one_object(debug):
    lines = [json.loads(line) for line in run_manage("json", debug)]
    assert [(line["logger"], line["level"], line["message"]) for line in lines] == [
        ("django.request", "warning", "Not Found: /nowhere"),
        ("apps.anything", "info", "hello"),
    ]
    assert lines[1]["account_id"] == "a1"


def test_plain_by_default():
    lines = run_manage("plain", "true")
    assert len(lines) == 2
    assert lines[0].endswith(" WARNING django.request: Not Found: /nowhere")
    assert lines[1].endswith(" INFO apps.anything: hello [account_id=a1]")
