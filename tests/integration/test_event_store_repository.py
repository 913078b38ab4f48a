"""The account repository and the command handlers over each store: snapshots, stale caches and
lost races as the write side meets them. Run on both implementations (FerretDB and memory); a
test that also counts the documents (`events`) runs on FerretDB only."""

import uuid
from decimal import Decimal

import pytest

from apps.accounts_command.bootstrap import build_dispatcher
from apps.accounts_command.domain.account import BankAccount
from apps.accounts_command.domain.commands import DepositFunds, OpenAccount, WithdrawFunds
from apps.accounts_command.domain.errors import AccountNotFound, InsufficientFunds
from apps.accounts_command.infrastructure.event_codec import from_stored
from apps.accounts_command.infrastructure.repository import EventSourcedAccountRepository
from apps.eventstore.documents import EventDocument, PendingPublication, SnapshotDocument
from tests.integration.stored_events import make_event, make_store

pytestmark = pytest.mark.usefixtures("event_store_db")


def pytest_generate_tests(metafunc):
    if "store" in metafunc.fixturenames:
        on_ferretdb_only = "events" in metafunc.fixturenames
        kinds = ["ferretdb"] if on_ferretdb_only else ["ferretdb", "memory"]
        metafunc.parametrize("store", kinds, indirect=True)


@pytest.fixture
def store(request):
    return make_store(request.param)


@pytest.fixture
def events():
    return EventDocument._get_collection()


def repository_on(store):
    return EventSourcedAccountRepository(store, store.append)


def test_a_stale_snapshot_still_loads_the_current_account(store):
    repository = repository_on(store)
    dispatcher = build_dispatcher(repository, retries=5)
    account_id = dispatcher.dispatch(OpenAccount("Stale", "SAVINGS", Decimal("1"))).account_id
    first = store.get_snapshot(str(account_id))
    for _ in range(3):
        dispatcher.dispatch(DepositFunds(account_id, Decimal("1")))
    store.save_snapshot(first)  # as if a slow writer of version 1 came last
    account = repository.load(account_id, latest=True)
    assert (account.version, account.balance) == (4, Decimal("4.00"))
    result = dispatcher.dispatch(DepositFunds(account_id, Decimal("1")))
    assert result.version == 5


def test_commands_store_their_events_and_a_snapshot(store, events):
    repository = repository_on(store)
    dispatcher = build_dispatcher(repository, retries=5)
    account_id = dispatcher.dispatch(OpenAccount("Ada", "CURRENT", Decimal("10.00"))).account_id
    dispatcher.dispatch(DepositFunds(account_id, Decimal("5.00")))
    dispatcher.dispatch(WithdrawFunds(account_id, Decimal("15.00")))

    stored = store.read_stream(str(account_id))
    assert [(e.version, e.event_type, e.schema_version) for e in stored] == [
        (1, "AccountOpened", 2),
        (2, "FundsDeposited", 1),
        (3, "FundsWithdrawn", 1),
    ]
    assert stored[0].data == {
        "holder": "Ada",
        "account_type": "CURRENT",
        "opening_balance": "10.00",
    }
    assert stored[2].data == {"amount": "15.00", "balance": "0.00"}
    snapshot = store.get_snapshot(str(account_id))
    assert snapshot.version == 3
    assert snapshot.state == {
        "holder": "Ada",
        "account_type": "CURRENT",
        "balance": "0.00",
        "closed": False,
    }
    # Loading from the snapshot equals replaying every event from scratch.
    replayed = BankAccount.rebuild(account_id, map(from_stored, stored))
    assert repository.load(account_id).snapshot() == replayed.snapshot()
    assert replayed.snapshot().balance == Decimal("0.00")


def test_a_lagging_snapshot_is_completed_by_the_later_events(store):
    repository = repository_on(store)
    dispatcher = build_dispatcher(repository, retries=5)
    account_id = dispatcher.dispatch(OpenAccount("Ada", "SAVINGS", Decimal("10.00"))).account_id
    # Event 2 is stored but its snapshot never was (as if the process had died in between).
    store.append(make_event(str(account_id), 2, data={"amount": "5.00", "balance": "15.00"}))
    assert store.get_snapshot(str(account_id)).version == 1

    account = repository.load(account_id)

    assert account.version == 2
    assert account.balance == Decimal("15.00")
    # And a command on it still lands on version 3, with the right balance.
    assert dispatcher.dispatch(DepositFunds(account_id, Decimal("1"))).version == 3
    assert repository.load(account_id).balance == Decimal("16.00")


def test_a_stale_cached_state_loses_the_append_and_the_command_lands_on_the_latest(store):
    repository = EventSourcedAccountRepository(store, store.append, cache_size=10)
    dispatcher = build_dispatcher(repository, retries=5)
    account_id = dispatcher.dispatch(OpenAccount("Ada", "SAVINGS", Decimal("10.00"))).account_id
    # Another process deposits: this process's cache does not know.
    store.append(make_event(str(account_id), 2, data={"amount": "5.00", "balance": "15.00"}))
    assert repository.load(account_id).version == 1  # the cache is trusted first...

    result = dispatcher.dispatch(WithdrawFunds(account_id, Decimal("12.00")))

    # ...and the unique key refused its version 2: the withdrawal was decided again on 15.00.
    assert result.version == 3
    stored = store.read_stream(str(account_id))
    assert [e.version for e in stored] == [1, 2, 3]
    assert stored[-1].data["balance"] == "3.00"
    assert repository.load(account_id, latest=True).balance == Decimal("3.00")


def test_while_cached_states_turn_out_stale_a_load_reads_forward_first(store):
    repository = EventSourcedAccountRepository(store, store.append, cache_size=10)
    dispatcher = build_dispatcher(repository, retries=5)
    account_id = dispatcher.dispatch(OpenAccount("Ada", "SAVINGS", Decimal("10.00"))).account_id

    def another_process_deposits() -> int:
        stream = map(from_stored, store.read_stream(str(account_id)))
        latest = BankAccount.rebuild(account_id, stream)
        balance = str(latest.balance + 1)
        store.append(
            make_event(
                str(account_id), latest.version + 1, data={"amount": "1.00", "balance": balance}
            )
        )
        return latest.version + 1

    # Another process writes before each of this process's commands: the appends are refused.
    commands = 0
    while not repository.staleness.read_forward():
        another_process_deposits()
        dispatcher.dispatch(DepositFunds(account_id, Decimal("0.01")))
        commands += 1
    assert 1 < commands < 10

    version = another_process_deposits()
    # Now the cached state is read forward: it holds the other process's deposit...
    assert repository.load(account_id).version == version
    assert repository.cache[account_id].version == version
    # ...and a command is decided on it with no refused append (which would count).
    rate = repository.staleness.rate
    assert dispatcher.dispatch(DepositFunds(account_id, Decimal("1.00"))).version == version + 1
    assert repository.staleness.rate < rate  # the read found nothing newer: one fresh answer
    folded = BankAccount.rebuild(account_id, map(from_stored, store.read_stream(str(account_id))))
    assert repository.load(account_id, latest=True).snapshot() == folded.snapshot()


def test_an_append_that_loses_a_race_is_decided_again_on_the_latest(store):
    repository = EventSourcedAccountRepository(store, store.append, cache_size=10)
    dispatcher = build_dispatcher(repository, retries=5)
    account_id = dispatcher.dispatch(OpenAccount("Ada", "SAVINGS", Decimal("10.00"))).account_id
    loads = 0
    load = repository.load

    def racing_load(account_id, *, latest=False):
        # Another process deposits after the first load read the store, before its append.
        nonlocal loads
        loads += 1
        account = load(account_id, latest=latest)
        if loads == 1:
            event = make_event(str(account_id), 2, data={"amount": "5.00", "balance": "15.00"})
            store.append(event)
        return account

    repository.load = racing_load

    # 12.00 is more than the 10.00 first read: the unique key refused version 2, and the
    # withdrawal was decided again on the latest 15.00.
    assert dispatcher.dispatch(WithdrawFunds(account_id, Decimal("12.00"))).version == 3
    assert loads == 2
    assert store.read_stream(str(account_id))[-1].data["balance"] == "3.00"


def test_a_refusal_on_a_stale_cached_state_is_decided_again_on_the_latest(store):
    repository = EventSourcedAccountRepository(store, store.append, cache_size=10)
    dispatcher = build_dispatcher(repository, retries=5)
    account_id = dispatcher.dispatch(OpenAccount("Ada", "SAVINGS", Decimal("10.00"))).account_id
    store.append(make_event(str(account_id), 2, data={"amount": "5.00", "balance": "15.00"}))

    # 12.00 is more than the cached 10.00 but not more than the stored 15.00.
    assert dispatcher.dispatch(WithdrawFunds(account_id, Decimal("12.00"))).version == 3


def test_snapshots_every_nth_version_and_loads_equal_the_fold(store):
    repository = EventSourcedAccountRepository(store, store.append, snapshot_every=3)
    dispatcher = build_dispatcher(repository, retries=5)
    account_id = dispatcher.dispatch(OpenAccount("Ada", "SAVINGS", Decimal("10.00"))).account_id
    for _ in range(4):
        dispatcher.dispatch(DepositFunds(account_id, Decimal("1.00")))

    assert store.get_snapshot(str(account_id)).version == 3
    folded = BankAccount.rebuild(account_id, map(from_stored, store.read_stream(str(account_id))))
    assert repository.load(account_id).snapshot() == folded.snapshot()
    assert folded.version == 5 and folded.balance == Decimal("14.00")


def test_a_refused_command_stores_nothing(store, events):
    repository = repository_on(store)
    dispatcher = build_dispatcher(repository, retries=5)
    account_id = dispatcher.dispatch(OpenAccount("Ada", "SAVINGS", Decimal("10.00"))).account_id
    pending = PendingPublication._get_collection()
    before = (events.count_documents({}), pending.count_documents({}))
    snapshot_before = store.get_snapshot(str(account_id))

    with pytest.raises(InsufficientFunds):
        dispatcher.dispatch(WithdrawFunds(account_id, Decimal("10.01")))
    with pytest.raises(AccountNotFound):
        dispatcher.dispatch(DepositFunds(uuid.uuid4(), Decimal("1.00")))

    assert (events.count_documents({}), pending.count_documents({})) == before
    assert store.get_snapshot(str(account_id)) == snapshot_before
    assert SnapshotDocument._get_collection().count_documents({}) == 1
