"""The identity context's composition root: the command dispatcher with its handlers and their
dependencies, built from the event store's parts a process built (techbank/bootstrap.py for
the web process, the management commands for themselves: SystemCommands), and the
`project_users` process (users_process)."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from django.conf import settings

from apps.contract.routes import topic_partitions
from apps.contract.signing import keyring
from apps.eventstore.bootstrap import EventStoreParts
from apps.eventstore.topics import ensure_topics
from apps.messaging.consumer import ConsumerSettings
from apps.store_parts import store_parts
from kernel import request_context
from kernel.mediator import Dispatcher
from kernel.slot import Slot

from .application.handlers import build_dispatcher
from .application.user_change import Identity
from .infrastructure.administrators_lock import MariaDbAdministratorsLock
from .infrastructure.credentials import DjangoCredentialStore
from .infrastructure.projector import DjangoUserProjection
from .infrastructure.replay import UsersReplay
from .infrastructure.repository import EventSourcedUserRepository
from .infrastructure.user_consumers import ActorTrailConsumer, UserEventsConsumer
from .infrastructure.users_process import UsersProcess


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


# The event-store parts of a process that built them already (the web process: techbank/
# bootstrap.py). A management command run in such a process (a test's call_command, a shell)
# uses them instead of building, connecting and flushing a Kafka producer of its own.
process_parts: Slot[EventStoreParts] = Slot("the process's event-store parts")


class SystemCommands:
    """The identity commands as a system process issues them (`create_administrator`,
    `create_api_client`, `revoke_api_client`): actor `system:<process>`, one correlation id
    for the run, a new causation id per command; the event-store parts of the process if it
    built them (process_parts), else its own, whose publishing is flushed when it ends."""

    def __init__(self, process: str) -> None:
        self.process = process
        self.owned = not process_parts.installed
        self.parts = store_parts() if self.owned else process_parts.get()
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
        if self.owned:
            self.parts.close(timeout=10)


def consumer_settings(group: str, topic: str, batch_size: int, poll: float) -> ConsumerSettings:
    return ConsumerSettings(
        bootstrap_servers=settings.KAFKA_BOOTSTRAP_SERVERS,
        group_id=group,
        topic=topic,
        dead_letter_topic=settings.KAFKA_DEAD_LETTER_TOPIC,
        batch_size=batch_size,
        max_poll_interval_ms=settings.KAFKA_MAX_POLL_INTERVAL_MS,
        stuck_seconds=settings.WORKER_STUCK_SECONDS,
        authenticate=keyring(settings).check_message,
        poll_timeout=poll,
        max_attempts=settings.USERS_MAX_ATTEMPTS,
    )


def users_process(
    group: str | None = None,
    trail_group: str | None = None,
    batch_size: int = 200,
    poll_timeout: float = 1.0,
) -> UsersProcess:
    """`project_users`' composition root: the user projection and the actors' trail."""
    ensure_topics(settings.KAFKA_BOOTSTRAP_SERVERS, topic_partitions(settings))
    parts = store_parts()
    users = UserEventsConsumer(
        consumer_settings(
            group or settings.USERS_CONSUMER_GROUP,
            settings.KAFKA_USER_EVENTS_TOPIC,
            batch_size,
            poll_timeout,
        ),
        parts.store,
        DjangoUserProjection(parts.store),
        DjangoCredentialStore(),
    )
    trail_topics = [settings.KAFKA_EVENTS_TOPIC, settings.KAFKA_TRANSFER_EVENTS_TOPIC]
    trail = ActorTrailConsumer(
        consumer_settings(
            trail_group or settings.USERS_TRAIL_GROUP, trail_topics[0], batch_size, poll_timeout
        ),
        trail_topics,
    )
    return UsersProcess(users, trail)


def users_replay(
    parts: EventStoreParts | None = None, batch_size: int | None = None
) -> UsersReplay:
    """`replay_events`' identity part (composed with the accounts' in the shell)."""
    store = (parts or store_parts(publishing=False)).store
    return UsersReplay(store, DjangoUserProjection(store), batch_size or settings.REPLAY_BATCH_SIZE)
