"""Captures one logger's lines as the configured handler would write them, without touching
the test process's logging configuration."""

import json
import logging
import logging.config
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

from operations.logging_config import logging_dict


def configured_formatter(log_format: str | None) -> logging.Formatter:
    """The formatter built by the standard library's dictConfig machinery from the very
    dictionary the settings use (`None`: the default format)."""
    config = logging_dict(level="DEBUG") if log_format is None else logging_dict(log_format)
    spec = config["formatters"][config["handlers"]["console"]["formatter"]]
    return logging.config.DictConfigurator(config).configure_formatter(spec)


@contextmanager
def captured(log_format: str | None, name: str) -> Iterator[StringIO]:
    """Inside the block, logger `name` writes (only) to the returned buffer, at DEBUG."""
    logger = logging.getLogger(name)
    saved = logger.handlers, logger.propagate, logger.level
    out = StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(configured_formatter(log_format))
    logger.handlers, logger.propagate = [handler], False
    logger.setLevel(logging.DEBUG)
    try:
        yield out
    finally:
        logger.handlers, logger.propagate = saved[0], saved[1]
        logger.setLevel(saved[2])


def json_lines(out: StringIO) -> list[dict]:
    """Every line parsed; fails unless each is one JSON object."""
    text = out.getvalue()
    assert text.endswith("\n"), text
    lines = [json.loads(line) for line in text.splitlines()]
    assert all(isinstance(line, dict) for line in lines), text
    return lines
