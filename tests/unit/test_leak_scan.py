"""The scan behind tests/e2e/test_zz_secrets_stay_out_of_logs.py finds a leaked secret, and the
log configuration redacts credentials before any line is written."""

import logging
import secrets

import pytest

from operations.logging_config import REDACTED, redact
from tests.harness import leak_scan
from tests.log_capture import captured, configured_formatter, json_lines

NAME = "tests.leaky"


def test_the_scan_finds_a_secret_in_a_log_file_and_in_this_process(tmp_path):
    token, other = secrets.token_hex(32), secrets.token_urlsafe(30)
    log = tmp_path / "child.log"
    log.write_text(f"INFO starting\nWARNING auth failed for key {token} (bad)\nINFO done\n")
    lines = ["INFO sent /o/token/ (200)", f"DEBUG {other}"]

    leaks = leak_scan.findings(secrets=[token, other], files=[log], lines=lines)

    assert [str(leak).split(": ")[0] for leak in leaks] == [f"{log}:2", "in-process:2"]
    assert token not in repr(leaks) and other not in repr(leaks)  # the report leaks nothing
    assert leak_scan.findings(secrets=["nowhere-to-be-seen-0123"], files=[log], lines=lines) == []


def test_a_url_encoded_secret_is_found_too():
    secret = "abc/def+ghi=jkl==mnop"
    assert leak_scan.findings(
        secrets=[secret], files=[], lines=["GET /?t=abc%2Fdef%2Bghi%3Djkl%3D%3Dmnop"]
    )


def test_the_recorder_keeps_what_the_console_writes_and_the_scan_reads_it():
    token = secrets.token_hex(32)
    lines: list[str] = []
    recorder = leak_scan.LineRecorder(configured_formatter(None), lines)
    logger = logging.getLogger(NAME)
    logger.addHandler(recorder)
    try:
        logger.warning("a careless line: %s", token)  # no pattern redaction can recognize
        logger.warning("a careful line: Authorization: Token %s", token)
    finally:
        logger.removeHandler(recorder)

    assert len(lines) == 2 and f"Token {REDACTED}" in lines[1]
    assert [str(leak).split(": ")[0] for leak in leak_scan.findings([token], [], lines)] == [
        "in-process:1"
    ]


def test_a_secret_shorter_than_any_issued_is_not_registered():
    before = set(leak_scan.ISSUED)
    assert leak_scan.issued("short") == "short"
    assert before == leak_scan.ISSUED


@pytest.mark.parametrize(
    ("line", "hidden"),
    [
        ('127.0.0.1 - - "GET /api/v1/accounts/?access_token=SECRET123&page=2 HTTP/1.1" 400', True),
        ('"POST /o/introspect/?token=SECRET123 HTTP/1.1" 400', True),
        ("/o/token/?client_secret=SECRET123", True),
        ("{'HTTP_AUTHORIZATION': 'Token SECRET123SECRET123'}", True),
        ("Authorization: Bearer SECRET123SECRET123", True),
        ("Authorization: Basic U0VDUkVUMTIzOnNlY3JldA==", True),
        ("{'access_token': 'SECRET123', 'expires_in': 3600}", True),
        ('{"client_secret": "SECRET123"}', True),
        ("deposited 10.00 into SECRET123", False),  # no sign of a credential: left as it is
        ("Token authentication failed: SECRET123", False),
    ],
)
def test_credentials_are_redacted(line, hidden):
    assert ("SECRET123" not in redact(line)) is hidden
    assert (REDACTED in redact(line)) is hidden


@pytest.mark.parametrize("log_format", ["plain", "json"])
def test_every_field_of_a_line_is_redacted_in_both_formats(log_format):
    with captured(log_format, NAME) as out:
        logging.getLogger(NAME).info(
            "GET /x?access_token=%s", "SECRET123", extra={"header": "Bearer SECRET123SECRET123"}
        )
    assert "SECRET123" not in out.getvalue()
    if log_format == "json":
        (line,) = json_lines(out)
        assert line["message"] == f"GET /x?access_token={REDACTED}"
        assert line["header"] == f"Bearer {REDACTED}"
