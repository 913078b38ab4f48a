"""The write side's wiring: the command dispatcher with its handlers and their dependencies.

`build_dispatcher` takes the pieces (tests pass in-memory ones); `bootstrap` takes the event
store's parts that a process's composition root built from settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from apps.eventstore.bootstrap import EventStoreParts
from apps.eventstore.checkpoints import Checkpoints
from kernel.mediator import Dispatcher

from .application import handlers
from .application.account_locks import AccountLocks
from .application.as_of import GetAccountAsOf, get_account_as_of
from .application.history import GetAccountHistory, get_account_history
from .application.ports import AccountRepository, AccountTimeline, Clock, HistoryReader
from .domain.commands import OpenAccount
from .infrastructure.account_timeline import StoreAccountTimeline
from .infrastructure.history_reader import StoreHistoryReader
from .infrastructure.repository import EventSourcedAccountRepository


def utc_now() -> datetime:
    # Milliseconds: what the event store keeps, so an event reads back exactly as written.
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def build_dispatcher(
    repository: AccountRepository,
    clock: Clock = utc_now,
    *,
    retries: int,
    history: HistoryReader | None = None,
    timeline: AccountTimeline | None = None,
) -> Dispatcher:
    dispatcher = Dispatcher()
    dispatcher.register(
        OpenAccount, partial(handlers.open_account, repository=repository, clock=clock)
    )
    locks = AccountLocks()
    for command, handler in handlers.ON_AN_ACCOUNT:
        dispatcher.register(
            command,
            locks.serialized(partial(handler, repository=repository, clock=clock, retries=retries)),
        )
    if history is not None:
        dispatcher.register(GetAccountHistory, partial(get_account_history, reader=history))
    if timeline is not None:
        dispatcher.register(GetAccountAsOf, partial(get_account_as_of, timeline=timeline))
    return dispatcher


@dataclass(frozen=True)
class CommandSettings:
    retries: int
    aggregate_cache_size: int
    snapshot_every: int

    @classmethod
    def from_django(cls, **overrides: int) -> CommandSettings:
        from django.conf import settings

        values = {
            "retries": settings.COMMAND_RETRIES,
            "aggregate_cache_size": settings.AGGREGATE_CACHE_SIZE,
            "snapshot_every": settings.SNAPSHOT_EVERY,
        }
        return cls(**{**values, **overrides})


def bootstrap(
    parts: EventStoreParts, settings: CommandSettings, clock: Clock = utc_now
) -> Dispatcher:
    """`clock`: when each event happens (the demo's, `manage.py load_demo`, is in the past)."""
    timeline = StoreAccountTimeline(parts.store, Checkpoints())
    repository = EventSourcedAccountRepository(
        parts.store,
        parts.recorder.record,
        checkpoint=timeline.passed,
        cache_size=settings.aggregate_cache_size,
        snapshot_every=settings.snapshot_every,
    )
    return build_dispatcher(
        repository,
        clock,
        retries=settings.retries,
        history=StoreHistoryReader(parts.store),
        timeline=timeline,
    )
