"""The identity context's composition root: the command dispatcher with its handlers and their
dependencies, built from the event store's parts a process built (techbank/bootstrap.py for
the web process, the management commands for themselves)."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from django.conf import settings

from apps.eventstore.bootstrap import EventStoreParts
from apps.store_parts import store_parts
from kernel import request_context
from kernel.mediator import Dispatcher

from .application.handlers import Identity, build_dispatcher
from .infrastructure.administrators_lock import MariaDbAdministratorsLock
from .infrastructure.credentials import DjangoCredentialStore
from .infrastructure.projector import DjangoUserProjection
from .infrastructure.repository import EventSourcedUserRepository


def identity(parts: EventStoreParts) -> Identity:
    return Identity(
        repository=EventSourcedUserRepository(parts.store, parts.recorder.record),
        projection=DjangoUserProjection(parts.store),
        credentials=DjangoCredentialStore(),
        administrators=MariaDbAdministratorsLock(),
        retries=settings.COMMAND_RETRIES,
    )


def identity_commands(parts: EventStoreParts | None = None) -> Dispatcher:
    """The identity commands' dispatcher on `parts` (default: this process's own, built now)."""
    return build_dispatcher(identity(parts or store_parts()))


class SystemCommands:
    """The identity commands as a system process issues them (`create_administrator`,
    `create_api_client`, `revoke_api_client`): actor `system:<process>`, one correlation id
    for the run, a new causation id per command; the process's own event-store parts, whose
    publishing is flushed when it ends."""

    def __init__(self, process: str) -> None:
        self.process = process
        self.parts = store_parts()
        self.identity = identity(self.parts)
        self.dispatcher = build_dispatcher(self.identity)
        self.correlation_id = request_context.new_request_id()

    def dispatch(self, command: object) -> Any:
        with request_context.bound(
            actor=f"system:{self.process}",
            request_id=self.correlation_id,
            correlation_id=self.correlation_id,
            causation_id=str(uuid4()),
        ):
            return self.dispatcher.dispatch(command)

    def __enter__(self) -> SystemCommands:
        return self

    def __exit__(self, *exc: object) -> None:
        self.parts.close(timeout=10)
