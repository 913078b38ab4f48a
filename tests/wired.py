"""The web process's wiring for this test run, built by tests/conftest.py like techbank/wsgi.py
builds it; a test that needs other settings (another broker, another topic) rewires."""

from django.conf import settings

from apps.accounts_command.bootstrap import build_dispatcher
from apps.accounts_command.infrastructure.repository import EventSourcedAccountRepository
from apps.eventstore.publisher import KafkaPublisher
from apps.eventstore.relay import Relay
from apps.eventstore.store import MongoEventStore
from apps.store_parts import store_parts
from kernel.mediator import Dispatcher
from techbank.bootstrap import Web, web

current: Web | None = None


def rewire(**event_store_overrides: object) -> Web:
    """Builds and installs the web process's objects anew (closing the old publisher)."""
    global current
    if current is not None:
        current.event_store.close(timeout=1)
    current = web(**event_store_overrides)
    return current


def get() -> Web:
    assert current is not None, "tests/conftest.py wires the web process first"
    return current


def event_store() -> MongoEventStore:
    return get().event_store.store


def publisher() -> KafkaPublisher:
    return get().event_store.publisher


def relay(grace_seconds: float | None = None) -> Relay:
    return get().event_store.relay(grace_seconds)


def command_dispatcher() -> Dispatcher:
    return get().commands


def unpublished() -> tuple[Dispatcher, MongoEventStore]:
    """A command dispatcher whose events are stored (with their outbox markers) but never
    published: the web process that died between the append and the publish."""
    parts = store_parts(publishing=False)
    repository = EventSourcedAccountRepository(parts.store, parts.recorder.record)
    return build_dispatcher(repository, retries=settings.COMMAND_RETRIES), parts.store
