"""Log lines through the handler that operations.logging_config configures: JSON or plain."""

import json
import logging
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from kernel import request_context
from operations.logging_config import logging_dict
from tests.log_capture import captured, json_lines

NAME = "tests.anything"


def test_a_json_line_has_time_level_logger_message_and_the_extras():
    before = datetime.now(UTC)
    with captured("json", "tests.some.module") as out:
        logging.getLogger("tests.some.module").warning(
            "deposited %s into %s", "10.00", "acc", extra={"version": 7, "offset": 42}
        )
    (line,) = json_lines(out)
    assert list(line)[:4] == ["time", "level", "logger", "message"]
    moment = datetime.fromisoformat(line["time"])
    assert moment.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= moment <= datetime.now(UTC) + timedelta(seconds=1)
    assert line["level"] == "warning"
    assert line["logger"] == "tests.some.module"
    assert line["message"] == "deposited 10.00 into acc"
    assert (line["version"], line["offset"]) == (7, 42)
    assert "request_id" not in line


def test_bound_fields_are_on_every_line_and_gone_after_the_block():
    logger = logging.getLogger(NAME)
    with captured("json", NAME) as out:
        with request_context.bound(request_id="abc-123", account_id="a1"):
            logger.info("inside")
            with request_context.bound(command="DepositFunds"):
                logger.info("nested")
            logger.info("extra wins", extra={"account_id": "a2"})
        logger.info("outside")
    inside, nested, extra, outside = json_lines(out)
    assert (inside["request_id"], inside["account_id"]) == ("abc-123", "a1")
    assert "command" not in inside
    assert (nested["request_id"], nested["command"]) == ("abc-123", "DepositFunds")
    assert extra["account_id"] == "a2"
    assert "request_id" not in outside and "account_id" not in outside


def test_an_exception_stays_on_its_one_line():
    with captured("json", NAME) as out:
        try:
            {}["missing"]
        except KeyError:
            logging.getLogger(NAME).exception("lookup failed")
    (line,) = json_lines(out)
    assert line["level"] == "error"
    assert line["message"] == "lookup failed"
    assert "KeyError: 'missing'" in line["exception"]


def test_values_json_cannot_hold_become_text():
    with captured("json", NAME) as out:
        logging.getLogger(NAME).info("odd values", extra={"amount": Decimal("1.50")})
    assert json_lines(out)[0]["amount"] == "1.50"


def test_gunicorn_access_line_carries_the_request_id_of_its_response():
    atoms = {"h": "127.0.0.1", "r": "GET / HTTP/1.1", "s": "200", "{x-request-id}o": "rid-9"}
    with captured("json", "gunicorn.access") as out:
        logging.getLogger("gunicorn.access").info('%(h)s "%(r)s" %(s)s', atoms)
    (line,) = json_lines(out)
    assert line["message"] == '127.0.0.1 "GET / HTTP/1.1" 200'
    assert line["request_id"] == "rid-9"
    assert "positional_args" not in line


def test_plain_is_the_default_and_shows_the_context_after_the_message():
    with captured(None, NAME) as out, request_context.bound(request_id="abc-123"):
        logging.getLogger(NAME).info("hello %s", "there", extra={"version": 2})
    line = out.getvalue()
    with pytest.raises(json.JSONDecodeError):
        json.loads(line)
    assert " INFO tests.anything: hello there [request_id=abc-123 version=2]\n" in line


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="LOG_FORMAT must be one of plain, json"):
        logging_dict("xml")


def test_levels_apply_to_the_root_and_gunicorn():
    config = logging_dict("json", "warning")
    assert config["root"]["level"] == "WARNING"
    assert config["loggers"]["gunicorn.error"]["level"] == "WARNING"
    assert config["loggers"]["gunicorn.error"]["handlers"] == ["console"]
