"""Builds the command dispatcher once, with its dependencies injected."""

from datetime import UTC, datetime
from functools import cache, partial

from django.conf import settings

from apps.eventstore.wiring import event_store
from techbank.mediator import Dispatcher
from techbank.ops.instrumented_dispatcher import InstrumentedDispatcher

from .application import handlers
from .application.ports import AccountRepository, Clock
from .domain.commands import CloseAccount, DepositFunds, OpenAccount, WithdrawFunds
from .domain.errors import DomainError
from .infrastructure.repository import EventSourcedAccountRepository


def utc_now() -> datetime:
    # Milliseconds: what the event store keeps, so an event reads back exactly as written.
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def build_dispatcher(
    repository: AccountRepository, clock: Clock = utc_now, retries: int = 5
) -> Dispatcher:
    dispatcher = Dispatcher()
    dispatcher.register(
        OpenAccount, partial(handlers.open_account, repository=repository, clock=clock)
    )
    for command, handler in (
        (DepositFunds, handlers.deposit_funds),
        (WithdrawFunds, handlers.withdraw_funds),
        (CloseAccount, handlers.close_account),
    ):
        dispatcher.register(
            command, partial(handler, repository=repository, clock=clock, retries=retries)
        )
    return dispatcher


def command_outcome(error: Exception) -> str:
    """The metrics' outcome label of a failed command: the refusal's code, or `error`."""
    return error.code if isinstance(error, DomainError) else "error"


@cache
def command_dispatcher() -> Dispatcher:
    return InstrumentedDispatcher(
        build_dispatcher(
            EventSourcedAccountRepository(event_store()), retries=settings.COMMAND_RETRIES
        ),
        command_outcome,
    )
