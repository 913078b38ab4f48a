"""How log lines look: plain text for people (the default), or one JSON object per line.

One `logging.config.dictConfig` dictionary serves Django (settings.LOGGING), the management
commands (worker, relay, replay) and gunicorn (gunicorn.conf.py), so every line of
every process has the same shape. structlog's ProcessorFormatter formats the records of the
standard library's loggers, so every `logging.getLogger(__name__)` in the project, Django's and
gunicorn's loggers included, goes through it unchanged.

No line carries a credential: a query-string credential (`access_token=`, `client_secret=`,
...) or an `Authorization`-style `Token|Bearer|Basic <value>` in any field, gunicorn's access
line included, is written as `[redacted]` (_redacted, below).

A JSON line has `time` (ISO 8601, UTC), `level`, `logger` and `message`, then every field of
the work in hand (kernel.request_context: `request_id`, ...) and every `extra=` field.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

import structlog

from kernel import request_context

FORMATS = ("plain", "json")
# Fields a plain line shows after its message, in this order, when they are known.
CONTEXT_FIELDS = (
    "request_id",
    "actor",
    "command",
    "account_id",
    "event_id",
    "event_type",
    "version",
    "partition",
    "offset",
)
FIRST_KEYS = ("time", "level", "logger", "message")

EventDict = dict[str, Any]


def logging_dict(log_format: str = "plain", level: str = "INFO") -> dict[str, Any]:
    """The dictConfig dictionary for `log_format` ("plain" or "json") at root level `level`."""
    if log_format not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {log_format!r}")
    level = level.upper()
    # Python's warnings (a library's "No directory at ..." at start-up) become log records of
    # the `py.warnings` logger, so that they too come out as lines of the chosen format.
    logging.captureWarnings(True)
    renderer = structlog.processors.JSONRenderer(default=str) if log_format == "json" else _plain
    # Gunicorn's loggers do not propagate; they get the same handler by name.
    gunicorn = {"handlers": ["console"], "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "foreign_pre_chain": PRE_CHAIN,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    _redacted,
                    structlog.processors.EventRenamer("message"),
                    _ordered,
                    renderer,
                ],
                # Gunicorn's access line puts its fields in the record's args.
                "pass_foreign_args": True,
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's default configuration gives these handlers of their own (bare messages
            # under DEBUG, runserver's format); they are to come out like every other line.
            "django": {"handlers": [], "level": level, "propagate": True},
            "django.server": {"handlers": [], "propagate": True},
            # One line per SQL statement or MongoDB command at DEBUG would drown the rest.
            "django.db.backends": {"level": "WARNING"},
            "pymongo": {"level": "WARNING"},
            # oauthlib's DEBUG lines print the tokens it issues.
            "oauthlib": {"level": "INFO"},
            "gunicorn.error": {**gunicorn, "level": level},
            "gunicorn.access": {**gunicorn, "level": "INFO"},
        },
    }


def _record_facts(logger: Any, method: str, event: EventDict) -> EventDict:
    record: logging.LogRecord = event["_record"]
    # The record's own moment, not the formatting's.
    event["time"] = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
    event["level"] = record.levelname.lower()
    event["logger"] = record.name
    return event


def _context(logger: Any, method: str, event: EventDict) -> EventDict:
    """The bound fields, unless the call passed its own with `extra=`."""
    for key, value in request_context.current().items():
        event.setdefault(key, value)
    return event


def _request_ids_after_the_request(logger: Any, method: str, event: EventDict) -> EventDict:
    # Two lines are written once the request's context is gone: Django's "Not Found: ..."
    # (its record carries the request) and gunicorn's access line (its args carry the
    # response's headers, ours included).
    request = event.pop("request", None)
    if request is not None and "request_id" not in event:
        rid = getattr(request, "request_id", None)
        if rid:
            event["request_id"] = rid
    atoms = event.pop("positional_args", None)
    if event["logger"] == "gunicorn.access" and hasattr(atoms, "get"):
        rid = atoms.get("{x-request-id}o")
        if rid and rid != "-":
            event.setdefault("request_id", rid)
    return event


PRE_CHAIN = [
    _record_facts,
    structlog.stdlib.ExtraAdder(),
    _context,
    _request_ids_after_the_request,
]


# A credential in a query string (the API refuses it, but the access line is written anyway),
# and the value after an Authorization scheme (a request's headers printed in a traceback).
_QUERY_CREDENTIAL = re.compile(
    r"((?:access_token|refresh_token|client_secret|token|password)=)[^&\s\"']+", re.IGNORECASE
)
# ... and one in a printed dict or JSON (`'access_token': '...'`, `"client_secret": "..."`).
_FIELD_CREDENTIAL = re.compile(
    r"""(["']?(?:access_token|refresh_token|client_secret|password)["']?\s*:\s*["'])[^"']+""",
    re.IGNORECASE,
)
# 16 characters at least: every credential here is longer, and "Token authentication" is not one.
_SCHEME_CREDENTIAL = re.compile(r"\b((?:Token|Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]{16,}")
REDACTED = "[redacted]"


# Every credential pattern below names one of these; a line without any (nearly every line)
# is returned as it is after one scan rather than three substitutions.
_MAYBE_CREDENTIAL = re.compile(r"token|password|secret|bearer|basic", re.IGNORECASE)


def redact(text: str) -> str:
    """`text` with every credential it shows replaced by [redacted]."""
    if not _MAYBE_CREDENTIAL.search(text):
        return text
    text = _QUERY_CREDENTIAL.sub(rf"\1{REDACTED}", text)
    text = _FIELD_CREDENTIAL.sub(rf"\1{REDACTED}", text)
    return _SCHEME_CREDENTIAL.sub(rf"\1{REDACTED}", text)


def _redacted(logger: Any, method: str, event: EventDict) -> EventDict:
    return {key: redact(value) if isinstance(value, str) else value for key, value in event.items()}


def _ordered(logger: Any, method: str, event: EventDict) -> EventDict:
    first = {key: event.pop(key) for key in FIRST_KEYS if key in event}
    return {**first, **event}


def _plain(logger: Any, method: str, event: EventDict) -> str:
    """`time LEVEL logger: message key=value ...`, then the traceback if there is one."""
    line = (
        f"{event.pop('time')} {event.pop('level').upper()} {event.pop('logger')}: "
        f"{event.pop('message')}"
    )
    exception = event.pop("exception", None)
    fields = [f"{key}={event[key]}" for key in CONTEXT_FIELDS if key in event]
    if fields:
        line = f"{line} [{' '.join(fields)}]"
    return f"{line}\n{exception}" if exception else line
