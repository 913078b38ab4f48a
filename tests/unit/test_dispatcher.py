"""The mediator and the command handlers, on the event-sourced repository over the in-memory
event store (the same interface suite as the real store passes): no I/O."""

import inspect
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from apps.accounts_command.application.errors import ConcurrencyExhausted
from apps.accounts_command.application.handlers import CommandResult
from apps.accounts_command.application.ports import AccountRepository
from apps.accounts_command.bootstrap import build_dispatcher
from apps.accounts_command.domain.account import BankAccount
from apps.accounts_command.domain.commands import (
    CloseAccount,
    DepositFunds,
    OpenAccount,
    WithdrawFunds,
)
from apps.accounts_command.domain.errors import (
    AccountAlreadyExists,
    AccountIsClosed,
    AccountNotFound,
    InsufficientFunds,
    InvalidCommand,
    VersionConflict,
)
from apps.accounts_command.domain.events import DomainEvent
from apps.accounts_command.infrastructure.event_codec import from_stored
from apps.accounts_command.infrastructure.repository import EventSourcedAccountRepository
from apps.eventstore.memory import InMemoryEventStore
from kernel.concurrency import ConcurrencyError
from kernel.mediator import Dispatcher, HandlerAlreadyRegistered, NoHandlerRegistered

NOW = datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)


class InMemoryAccountRepository(EventSourcedAccountRepository):
    """The event-sourced repository over the in-memory event store, counting loads and saves.

    `before_save` runs just before each save: a test uses it to let a competing command
    change the account between a handler's load and its save.
    """

    def __init__(self):
        store = InMemoryEventStore()
        super().__init__(store, store.append)
        self.memory = store  # the base keeps it as a reader, which cannot read_all()
        self.loads = 0
        self.saves = 0
        self.before_save = None

    def load(self, account_id, *, latest=False):
        self.loads += 1
        return super().load(account_id, latest=latest)

    def save(self, account):
        self.saves += 1
        if self.before_save is not None:
            hook, self.before_save = self.before_save, None
            hook()
        super().save(account)

    @property
    def streams(self) -> dict[UUID, list[DomainEvent]]:
        found: dict[UUID, list[DomainEvent]] = {}
        for batch in self.memory.read_all():
            for event in batch:
                found.setdefault(UUID(event.aggregate_id), []).append(from_stored(event))
        return found

    def versions(self, account_id):
        return [e.version for e in self.streams.get(account_id, [])]


def fixed_clock():
    return NOW


@pytest.fixture
def repository():
    return InMemoryAccountRepository()


@pytest.fixture
def dispatcher(repository):
    return build_dispatcher(repository, clock=fixed_clock, retries=3)


def open_one(dispatcher, balance="100.00"):
    return dispatcher.dispatch(OpenAccount("Ada Lovelace", "SAVINGS", Decimal(balance))).account_id


def test_the_fake_implements_the_port():
    for name in ("load", "save"):
        port = inspect.signature(getattr(AccountRepository, name))
        fake = inspect.signature(getattr(InMemoryAccountRepository, name))
        assert list(fake.parameters) == list(port.parameters)


# --- the mediator --------------------------------------------------------------------------


@dataclass(frozen=True)
class Ping:
    n: int


@dataclass(frozen=True)
class SubPing(Ping):
    pass


def test_dispatch_calls_the_registered_handler_and_returns_its_result():
    dispatcher = Dispatcher()
    seen = []
    dispatcher.register(Ping, lambda message: seen.append(message) or message.n * 2)

    assert dispatcher.dispatch(Ping(21)) == 42
    assert seen == [Ping(21)]


def test_registering_a_second_handler_for_a_type_is_refused():
    dispatcher = Dispatcher()
    dispatcher.register(Ping, lambda message: "first")

    with pytest.raises(HandlerAlreadyRegistered, match="Ping"):
        dispatcher.register(Ping, lambda message: "second")

    assert dispatcher.dispatch(Ping(1)) == "first"


def test_dispatching_an_unregistered_type_is_refused():
    dispatcher = Dispatcher()
    dispatcher.register(Ping, lambda message: "ping")

    with pytest.raises(NoHandlerRegistered, match="str"):
        dispatcher.dispatch("hello")


def test_handlers_are_looked_up_by_exact_type_not_by_subclass():
    dispatcher = Dispatcher()
    dispatcher.register(Ping, lambda message: "ping")

    with pytest.raises(NoHandlerRegistered, match="SubPing"):
        dispatcher.dispatch(SubPing(1))


def test_the_command_dispatcher_has_one_handler_per_command(repository):
    dispatcher = build_dispatcher(repository, retries=5)
    for command in (OpenAccount, DepositFunds, WithdrawFunds, CloseAccount):
        with pytest.raises(HandlerAlreadyRegistered):
            dispatcher.register(command, lambda message: None)


# --- the handlers --------------------------------------------------------------------------


def test_open_account_saves_version_1_and_stamps_the_clock(dispatcher, repository):
    result = dispatcher.dispatch(OpenAccount("  Ada  ", "CURRENT", Decimal("12.30")))

    assert isinstance(result, CommandResult)
    assert result.version == 1
    [event] = repository.streams[result.account_id]
    assert event.holder == "Ada"
    assert event.account_type == "CURRENT"
    assert event.opening_balance == Decimal("12.30")
    assert event.timestamp == NOW


def test_open_account_uses_the_id_the_caller_chose(dispatcher, repository):
    chosen = uuid4()
    result = dispatcher.dispatch(OpenAccount("Ada", "SAVINGS", Decimal("0"), chosen))
    assert result == CommandResult(chosen, 1)
    assert repository.versions(chosen) == [1]


def test_opening_an_existing_account_id_is_refused(dispatcher, repository):
    chosen = uuid4()
    dispatcher.dispatch(OpenAccount("Ada", "SAVINGS", Decimal("5.00"), chosen))

    with pytest.raises(AccountAlreadyExists) as caught:
        dispatcher.dispatch(OpenAccount("Eve", "CURRENT", Decimal("9.00"), chosen))

    assert caught.value.code == "account_exists"
    assert repository.versions(chosen) == [1]
    assert repository.streams[chosen][0].holder == "Ada"


def test_an_invalid_open_saves_nothing(dispatcher, repository):
    with pytest.raises(InvalidCommand) as caught:
        dispatcher.dispatch(OpenAccount(" ", "SAVINGS", Decimal("5.00")))
    assert caught.value.code == "invalid_holder"
    assert repository.saves == 0
    assert repository.streams == {}


def test_deposit_withdraw_close_append_the_next_versions(dispatcher, repository):
    account_id = open_one(dispatcher, "100.00")

    assert dispatcher.dispatch(DepositFunds(account_id, Decimal("50.00"))) == CommandResult(
        account_id, 2
    )
    assert dispatcher.dispatch(WithdrawFunds(account_id, Decimal("150.00"))) == CommandResult(
        account_id, 3
    )
    assert dispatcher.dispatch(CloseAccount(account_id)) == CommandResult(account_id, 4)

    assert repository.versions(account_id) == [1, 2, 3, 4]
    account = repository.load(account_id)
    assert account.closed
    assert account.balance == Decimal("0.00")


@pytest.mark.parametrize(
    "command",
    [
        lambda account_id: DepositFunds(account_id, Decimal("1.00")),
        lambda account_id: WithdrawFunds(account_id, Decimal("1.00")),
        lambda account_id: CloseAccount(account_id),
        lambda account_id: DepositFunds(account_id, Decimal("1.00"), expected_version=0),
    ],
    ids=["deposit", "withdraw", "close", "deposit-expecting-0"],
)
def test_a_command_on_an_unknown_account_is_refused(dispatcher, repository, command):
    unknown = uuid4()
    with pytest.raises(AccountNotFound) as caught:
        dispatcher.dispatch(command(unknown))
    assert caught.value.code == "account_not_found"
    assert repository.saves == 0
    assert unknown not in repository.streams


def test_a_business_refusal_saves_nothing(dispatcher, repository):
    account_id = open_one(dispatcher, "10.00")
    saves = repository.saves

    with pytest.raises(InsufficientFunds):
        dispatcher.dispatch(WithdrawFunds(account_id, Decimal("10.01")))

    assert repository.saves == saves
    assert repository.versions(account_id) == [1]


def test_the_right_expected_version_is_accepted(dispatcher, repository):
    account_id = open_one(dispatcher, "100.00")
    result = dispatcher.dispatch(DepositFunds(account_id, Decimal("1.00"), expected_version=1))
    assert result.version == 2
    result = dispatcher.dispatch(WithdrawFunds(account_id, Decimal("101.00"), expected_version=2))
    assert result.version == 3
    result = dispatcher.dispatch(CloseAccount(account_id, expected_version=3))
    assert result.version == 4
    assert repository.versions(account_id) == [1, 2, 3, 4]


@pytest.mark.parametrize("expected", [0, 2, 7])
def test_a_stale_expected_version_is_refused_with_the_current_version(
    dispatcher, repository, expected
):
    account_id = open_one(dispatcher)

    with pytest.raises(VersionConflict) as caught:
        dispatcher.dispatch(WithdrawFunds(account_id, Decimal("1.00"), expected_version=expected))

    assert caught.value.code == "version_conflict"
    assert caught.value.current_version == 1
    assert repository.versions(account_id) == [1]


def competing_withdrawal(repository, account_id, amount):
    """A save by another command, made between our handler's load and its save."""

    def hook():
        # Another handler's load and save: the repository's own, not the counting ones.
        account = EventSourcedAccountRepository.load(repository, account_id, latest=True)
        account.withdraw(Decimal(amount), NOW)
        EventSourcedAccountRepository.save(repository, account)

    return hook


def test_a_lost_race_without_expected_version_is_retried_on_the_new_state(dispatcher, repository):
    account_id = open_one(dispatcher, "100.00")
    repository.before_save = competing_withdrawal(repository, account_id, "30.00")
    loads = repository.loads

    result = dispatcher.dispatch(WithdrawFunds(account_id, Decimal("50.00")))

    assert result == CommandResult(account_id, 3)
    assert repository.loads - loads == 2
    assert repository.versions(account_id) == [1, 2, 3]
    assert repository.streams[account_id][2].balance == Decimal("20.00")
    assert repository.load(account_id).balance == Decimal("20.00")


def test_a_retry_decides_again_and_can_refuse(dispatcher, repository):
    account_id = open_one(dispatcher, "100.00")
    repository.before_save = competing_withdrawal(repository, account_id, "95.00")

    with pytest.raises(InsufficientFunds):
        dispatcher.dispatch(WithdrawFunds(account_id, Decimal("10.00")))

    assert repository.versions(account_id) == [1, 2]
    assert repository.load(account_id).balance == Decimal("5.00")


def test_a_lost_race_with_expected_version_is_a_version_conflict_and_is_not_retried(
    dispatcher, repository
):
    account_id = open_one(dispatcher, "100.00")
    repository.before_save = competing_withdrawal(repository, account_id, "30.00")
    loads = repository.loads

    with pytest.raises(VersionConflict) as caught:
        dispatcher.dispatch(WithdrawFunds(account_id, Decimal("50.00"), expected_version=1))

    assert type(caught.value) is VersionConflict
    assert caught.value.code == "version_conflict"
    assert caught.value.current_version == 2
    assert repository.loads - loads == 1
    assert repository.versions(account_id) == [1, 2]


class AlwaysLosingRepository(InMemoryAccountRepository):
    def save(self, account):
        if self.streams.get(account.id):
            self.saves += 1
            account.pull_pending_events()
            raise ConcurrencyError(str(account.id), account.version)
        super().save(account)


@pytest.mark.parametrize("retries", [0, 2])
def test_retries_are_bounded_and_then_reported_as_concurrency_conflict(retries):
    repository = AlwaysLosingRepository()
    dispatcher = build_dispatcher(repository, clock=fixed_clock, retries=retries)
    account_id = open_one(dispatcher)
    saves = repository.saves

    with pytest.raises(ConcurrencyExhausted) as caught:
        dispatcher.dispatch(DepositFunds(account_id, Decimal("1.00")))

    assert caught.value.code == "concurrency_conflict"
    assert not isinstance(caught.value, VersionConflict)  # its own meaning, not a stale version
    assert repository.saves - saves == retries + 1
    assert repository.versions(account_id) == [1]


def test_a_closed_account_refuses_through_the_handler(dispatcher, repository):
    account_id = open_one(dispatcher, "0.00")
    dispatcher.dispatch(CloseAccount(account_id))

    with pytest.raises(AccountIsClosed):
        dispatcher.dispatch(DepositFunds(account_id, Decimal("1.00")))

    assert repository.versions(account_id) == [1, 2]


class LaggingSnapshotRepository(InMemoryAccountRepository):
    """Answers `latest=False` loads with a state one event behind, as a stale snapshot would."""

    def load(self, account_id, *, latest=False):
        self.loads += 1
        events = list(self.streams.get(account_id, []))
        if not latest and len(events) > 1:
            events = events[:-1]
        return BankAccount.rebuild(account_id, events)


def test_a_lagging_snapshot_never_stores_a_wrong_event():
    repository = LaggingSnapshotRepository()
    dispatcher = build_dispatcher(repository, clock=fixed_clock, retries=3)
    account_id = dispatcher.dispatch(OpenAccount("Lag", "SAVINGS", Decimal("10"))).account_id
    dispatcher.dispatch(DepositFunds(account_id, Decimal("5")))
    # The lagging state says balance 10 at version 1; the append of version 2 collides, the
    # handler reloads the latest state (15 at version 2) and decides again.
    result = dispatcher.dispatch(WithdrawFunds(account_id, Decimal("15")))
    assert result.version == 3
    assert repository.streams[account_id][-1].balance == Decimal("0.00")
    # A client whose expected_version matches the real stream is not refused for the lag.
    dispatcher.dispatch(DepositFunds(account_id, Decimal("1")))
    assert (
        dispatcher.dispatch(DepositFunds(account_id, Decimal("1"), expected_version=4)).version == 5
    )
    with pytest.raises(VersionConflict):
        dispatcher.dispatch(DepositFunds(account_id, Decimal("1"), expected_version=4))
