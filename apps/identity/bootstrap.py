"""The identity context's composition root: the command dispatcher with its handlers and their
dependencies, built from the event store's parts a process built (techbank/bootstrap.py for
the web process, the management commands for themselves)."""

from __future__ import annotations

from django.conf import settings

from apps.eventstore.bootstrap import EventStoreParts
from apps.store_parts import store_parts
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
