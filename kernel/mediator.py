"""The mediator of the seeds: one handler per message type, looked up at dispatch.

Both sides build one: commands on the write side, queries on the read side. It is plain
Python so that the domain and application layers may use it.
"""

from collections.abc import Callable
from typing import Any


class Query:
    """A message that reads and changes nothing. A dispatcher serves both kinds; the marker
    lets what watches it (operations/instrumented_dispatcher.py) count queries apart."""


class HandlerAlreadyRegistered(Exception):
    pass


class NoHandlerRegistered(Exception):
    pass


class Dispatcher:
    def __init__(self) -> None:
        self._handlers: dict[type, Callable[[Any], Any]] = {}

    def register(self, message_type: type, handler: Callable[[Any], Any]) -> None:
        if message_type in self._handlers:
            raise HandlerAlreadyRegistered(f"{message_type.__name__} already has a handler")
        self._handlers[message_type] = handler

    def dispatch(self, message: object) -> Any:
        try:
            handler = self._handlers[type(message)]
        except KeyError:
            raise NoHandlerRegistered(f"No handler for {type(message).__name__}") from None
        return handler(message)
