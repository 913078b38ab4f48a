"""Counts and times every command, and apart from them every query, at the one place they all
pass: the dispatcher (a message marked `kernel.mediator.Query` is a query)."""

import time
from collections.abc import Callable
from typing import Any

from kernel.mediator import Dispatcher, Query

from .metrics import observe_command, observe_query


def outcome_code(error: Exception) -> str:
    """The refusal's stable code (a DomainError's `code`), or `error` for anything else.

    Only string codes are taken: driver exceptions carry numeric codes of unbounded variety.
    """
    code = getattr(error, "code", None)
    return code if isinstance(code, str) and code else "error"


class InstrumentedDispatcher(Dispatcher):
    """Wraps a dispatcher; records `techbank_commands_total` and the command's duration, or
    for a query `techbank_queries_total` and its duration.

    `outcome_of` maps an exception to its outcome label; the write side passes one that
    knows its DomainError (and concurrency) codes.
    """

    def __init__(
        self, inner: Dispatcher, outcome_of: Callable[[Exception], str] = outcome_code
    ) -> None:
        super().__init__()
        self.inner = inner
        self.outcome_of = outcome_of

    def register(self, message_type: type, handler: Callable[[Any], Any]) -> None:
        self.inner.register(message_type, handler)

    def dispatch(self, message: object) -> Any:
        started = time.perf_counter()
        outcome = "error"
        try:
            result = self.inner.dispatch(message)
        except Exception as exc:
            outcome = self.outcome_of(exc)
            raise
        else:
            outcome = "ok"
            return result
        finally:
            observe = observe_query if isinstance(message, Query) else observe_command
            observe(type(message).__name__, outcome, time.perf_counter() - started)
