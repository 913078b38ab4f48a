"""The web process's wiring for in-process benchmarks, built once like techbank/wsgi.py does."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def web() -> Any:
    from techbank.bootstrap import web as build

    return build()


def event_store() -> Any:
    return web().event_store.store


def recorder() -> Any:
    return web().event_store.recorder


def publisher() -> Any:
    return web().event_store.publisher


def command_dispatcher() -> Any:
    return web().commands


@cache
def uncached_dispatcher() -> Any:
    """The web process's command side without the aggregate cache: every command loads."""
    from apps.accounts_command import bootstrap as command_side

    settings = command_side.CommandSettings.from_django(aggregate_cache_size=0)
    return command_side.bootstrap(web().event_store, settings)


def pending() -> Any:
    return web().event_store.outbox.markers


def unpublished_dispatcher() -> Any:
    """Commands stored with their outbox markers but never published."""
    from django.conf import settings

    from apps.accounts_command.bootstrap import build_dispatcher
    from apps.accounts_command.infrastructure.repository import EventSourcedAccountRepository
    from apps.store_parts import store_parts

    parts = store_parts(publishing=False)
    repository = EventSourcedAccountRepository(parts.store, parts.recorder.record)
    return build_dispatcher(repository, retries=settings.COMMAND_RETRIES)


def as_message(event: Any) -> Any:
    """A stored event as the read side reads it from the store's public interface."""
    from apps.accounts_query.domain.event_message import parse
    from apps.eventstore.wire import message

    return parse(message(event))
