"""A transfer's steps on accounts: each once ever, bounded state, fences, room for refunds.
Domain and handlers over the in-memory store: no I/O."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from apps.accounts_command.bootstrap import build_dispatcher
from apps.accounts_command.domain import commands as cmd
from apps.accounts_command.domain.account import BankAccount
from apps.accounts_command.domain.errors import (
    AccountIsClosed,
    AccountNotFound,
    BalanceLimitExceeded,
    InsufficientFunds,
    TransferInFlight,
    TransferStepFenced,
    TransferTimedOut,
)
from apps.accounts_command.domain.events import (
    FundsTransferredIn,
    FundsTransferredOut,
    TransferExpired,
    TransferSettled,
)
from apps.accounts_command.domain.money import MAX_BALANCE
from apps.accounts_command.domain.transfer_rules import STEP, Role, step_event_id
from apps.accounts_command.infrastructure.repository import (
    EventSourcedAccountRepository,
    to_snapshot,
)
from apps.eventstore.memory import InMemoryEventStore
from apps.eventstore.records import StoredEvent
from kernel.concurrency import EventAlreadyStored

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
LATER = NOW + timedelta(seconds=60)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


class Bank:
    """The write side over the in-memory store, with a clock the test moves."""

    def __init__(self, cache_size: int = 100) -> None:
        self.store = InMemoryEventStore()
        self.clock = Clock()
        self.repository = EventSourcedAccountRepository(
            self.store, self.store.append, cache_size=cache_size
        )
        self.dispatcher = build_dispatcher(self.repository, self.clock, retries=3)

    def open(self, balance: str = "100.00") -> UUID:
        return self.dispatcher.dispatch(
            cmd.OpenAccount("Ada", "SAVINGS", Decimal(balance))
        ).account_id

    def account(self, account_id: UUID) -> BankAccount:
        return self.repository.load(account_id, latest=True)

    def types(self, account_id: UUID) -> list[str]:
        return [e.event_type for e in self.store.read_stream(str(account_id))]


def test_a_debit_is_taken_once_while_in_flight_and_once_ever_after_settling():
    bank = Bank()
    source, transfer = bank.open(), uuid4()
    debit = cmd.DebitForTransfer(source, Decimal("30.00"), transfer, LATER)
    bank.dispatcher.dispatch(debit)
    bank.dispatcher.dispatch(debit)  # the manager's retry after a crash: nothing stored
    assert bank.account(source).in_flight[transfer].role is Role.OUT
    bank.dispatcher.dispatch(cmd.SettleTransfer(source, transfer))
    assert bank.account(source).in_flight == {}
    # Forgotten by the account now; a stale repeat is refused by the store's unique event id
    # (the manager that sent it has moved on: its next record loses on the transfer stream).
    bank.repository.cache.clear()
    with pytest.raises(TransferStepFenced):
        bank.dispatcher.dispatch(debit)
    assert bank.types(source) == ["AccountOpened", "FundsTransferredOut", "TransferSettled"]
    assert bank.account(source).balance == Decimal("70.00")


def test_a_step_event_has_the_id_its_transfer_account_and_step_give_it():
    bank = Bank()
    source, transfer = bank.open(), uuid4()
    bank.dispatcher.dispatch(cmd.DebitForTransfer(source, Decimal("1.00"), transfer, LATER))
    stored = bank.store.get(str(source), 2)
    assert stored is not None
    assert stored.event_id == str(step_event_id(transfer, source, STEP))
    assert step_event_id(transfer, source, STEP) != step_event_id(
        transfer, source, "TransferRefunded"
    )


def test_debit_and_credit_are_refused_after_the_deadline():
    bank = Bank()
    source, target = bank.open(), bank.open()
    bank.clock.now = LATER + timedelta(milliseconds=1)
    with pytest.raises(TransferTimedOut) as refused:
        bank.dispatcher.dispatch(cmd.DebitForTransfer(source, Decimal("1.00"), uuid4(), LATER))
    assert refused.value.code == "timed_out"
    with pytest.raises(TransferTimedOut):
        bank.dispatcher.dispatch(cmd.CreditForTransfer(target, Decimal("1.00"), uuid4(), LATER))
    assert bank.types(source) == bank.types(target) == ["AccountOpened"]


def test_an_account_with_a_transfer_in_flight_cannot_close():
    bank = Bank()
    source, target, transfer = bank.open("10.00"), bank.open("0.00"), uuid4()
    bank.dispatcher.dispatch(cmd.DebitForTransfer(source, Decimal("10.00"), transfer, LATER))
    with pytest.raises(TransferInFlight) as refused:
        bank.dispatcher.dispatch(cmd.CloseAccount(source))
    assert refused.value.code == "transfer_in_flight"
    bank.dispatcher.dispatch(cmd.CreditForTransfer(target, Decimal("10.00"), transfer, LATER))
    bank.dispatcher.dispatch(cmd.WithdrawFunds(target, Decimal("10.00")))
    with pytest.raises(TransferInFlight):
        bank.dispatcher.dispatch(cmd.CloseAccount(target))
    for account in (source, target):
        bank.dispatcher.dispatch(cmd.SettleTransfer(account, transfer))
        bank.dispatcher.dispatch(cmd.CloseAccount(account))
        assert bank.account(account).closed


def test_a_refund_always_succeeds_because_deposits_keep_room_for_it():
    bank = Bank()
    room = MAX_BALANCE - Decimal("0.01")
    source, transfer = bank.open("100.00"), uuid4()
    bank.dispatcher.dispatch(cmd.DebitForTransfer(source, Decimal("100.00"), transfer, LATER))
    fill(bank, source, room - Decimal("140.00"))
    # Without the room kept for the refund this deposit would fit, and the refund would not.
    with pytest.raises(BalanceLimitExceeded):
        bank.dispatcher.dispatch(cmd.DepositFunds(source, Decimal("50.00")))
    bank.dispatcher.dispatch(cmd.DepositFunds(source, Decimal("39.99")))
    bank.dispatcher.dispatch(cmd.RefundTransfer(source, Decimal("100.00"), transfer))
    account = bank.account(source)
    assert account.balance == room - Decimal("0.01")
    assert account.in_flight == {}


def fill(bank: Bank, account_id: UUID, total: Decimal) -> None:
    """Deposits `total`, in as many deposits as the per-deposit limit takes."""
    largest = Decimal("999999999.99")
    while total > 0:
        amount = min(total, largest)
        bank.dispatcher.dispatch(cmd.DepositFunds(account_id, amount))
        total -= amount


def test_a_refund_gives_back_only_a_debit_and_only_once():
    bank = Bank()
    source, transfer = bank.open("50.00"), uuid4()
    bank.dispatcher.dispatch(cmd.RefundTransfer(source, Decimal("20.00"), uuid4()))  # never debited
    bank.dispatcher.dispatch(cmd.DebitForTransfer(source, Decimal("20.00"), transfer, LATER))
    refund = cmd.RefundTransfer(source, Decimal("20.00"), transfer)
    bank.dispatcher.dispatch(refund)
    bank.dispatcher.dispatch(refund)
    bank.repository.cache.clear()
    bank.dispatcher.dispatch(refund)
    assert bank.types(source) == ["AccountOpened", "FundsTransferredOut", "TransferRefunded"]
    assert bank.account(source).balance == Decimal("50.00")


def test_expire_answers_whether_the_step_was_taken_and_fences_it_otherwise():
    bank = Bank()
    source, taken, missed = bank.open(), uuid4(), uuid4()
    bank.dispatcher.dispatch(cmd.DebitForTransfer(source, Decimal("5.00"), taken, LATER))
    bank.clock.now = LATER + timedelta(seconds=1)
    assert bank.dispatcher.dispatch(cmd.ExpireTransfer(source, taken)).stepped is True
    assert bank.dispatcher.dispatch(cmd.ExpireTransfer(source, missed)).stepped is False
    assert bank.dispatcher.dispatch(cmd.ExpireTransfer(source, missed)).stepped is False
    assert bank.types(source) == ["AccountOpened", "FundsTransferredOut", "TransferExpired"]
    assert bank.dispatcher.dispatch(cmd.ExpireTransfer(uuid4(), missed)).stepped is False


def test_a_debit_decided_before_the_fence_loses_to_it_and_is_then_too_late():
    bank = Bank()
    source, transfer = bank.open(), uuid4()
    stale = bank.account(source)
    stale.transfer_step(FundsTransferredOut, Decimal("5.00"), transfer, NOW, LATER)
    bank.clock.now = LATER + timedelta(seconds=1)
    assert bank.dispatcher.dispatch(cmd.ExpireTransfer(source, transfer)).stepped is False
    # The stale decision's append: its version is taken, and its event id too (by the fence).
    with pytest.raises(EventAlreadyStored):
        bank.repository.save(stale)
    with pytest.raises(TransferTimedOut):  # decided again, on the fenced state
        bank.dispatcher.dispatch(cmd.DebitForTransfer(source, Decimal("5.00"), transfer, LATER))
    assert bank.account(source).balance == Decimal("100.00")


def test_the_state_holds_only_transfers_in_flight_however_long_the_history():
    bank = Bank()
    source, target = bank.open("1000.00"), bank.open("0.00")
    for _ in range(200):
        transfer = uuid4()
        bank.dispatcher.dispatch(cmd.DebitForTransfer(source, Decimal("1.00"), transfer, LATER))
        bank.dispatcher.dispatch(cmd.CreditForTransfer(target, Decimal("1.00"), transfer, LATER))
        bank.dispatcher.dispatch(cmd.SettleTransfer(source, transfer))
        bank.dispatcher.dispatch(cmd.SettleTransfer(target, transfer))
    for account_id in (source, target):
        account = bank.account(account_id)
        assert account.version == 401
        assert "in_flight" not in to_snapshot(account.snapshot()).state
    assert bank.account(target).balance == Decimal("200.00")


def test_in_flight_transfers_survive_a_snapshot():
    bank = Bank()
    source, transfer = bank.open(), uuid4()
    bank.dispatcher.dispatch(cmd.DebitForTransfer(source, Decimal("7.50"), transfer, LATER))
    account = bank.account(source)
    state = to_snapshot(account.snapshot())
    assert state.state["in_flight"] == [
        {"transfer_id": str(transfer), "role": "out", "amount": "7.50"}
    ]
    again = BankAccount.from_snapshot(account.snapshot())
    assert again.reserved == Decimal("7.50")
    again.transfer_step(FundsTransferredOut, Decimal("7.50"), transfer, NOW, LATER)
    assert again.pull_pending_events() == []


def test_steps_stored_before_accounts_tracked_transfers_are_over():
    account = BankAccount.open(uuid4(), "Ada", "SAVINGS", "10.00", NOW)
    old = FundsTransferredOut(
        uuid4(), account.id, 2, NOW, Decimal("1.00"), Decimal("9.00"), uuid4()
    )
    account.apply(old)
    assert (account.balance, account.in_flight) == (Decimal("9.00"), {})
    account.close  # noqa: B018  (closing is only refused for its balance, not the old step)
    with pytest.raises(InsufficientFunds):
        account.transfer_step(FundsTransferredOut, Decimal("9.01"), uuid4(), NOW)


def test_settled_and_expired_move_no_money():
    account = BankAccount.open(uuid4(), "Ada", "SAVINGS", "10.00", NOW)
    transfer = uuid4()
    account.transfer_step(FundsTransferredOut, Decimal("4.00"), transfer, NOW)
    account.settle(transfer, NOW)
    account.settle(transfer, NOW)  # over already: nothing
    assert account.expire(uuid4(), NOW) is False
    events = account.pull_pending_events()[1:]
    assert [type(e) for e in events] == [FundsTransferredOut, TransferSettled, TransferExpired]
    assert account.balance == Decimal("6.00")


def test_a_stream_of_another_aggregate_is_no_account():
    bank = Bank()
    transfer = uuid4()
    bank.store.append(
        StoredEvent(str(uuid4()), str(transfer), "Transfer", 1, "TransferRequested", 2, {}, NOW)
    )
    with pytest.raises(AccountNotFound):
        bank.dispatcher.dispatch(cmd.DepositFunds(transfer, Decimal("1.00")))
    with pytest.raises(AccountNotFound):
        bank.dispatcher.dispatch(cmd.DebitForTransfer(transfer, Decimal("1.00"), uuid4(), LATER))
    assert bank.dispatcher.dispatch(cmd.ExpireTransfer(transfer, uuid4())).stepped is False
    assert len(bank.store.read_stream(str(transfer))) == 1


def test_a_fenced_step_is_never_taken_even_before_the_deadline():
    # A refusal is fenced at once (the manager's rule), long before the deadline: a debit
    # decided afterwards on a state where the money is there again is refused all the same.
    bank = Bank()
    source, transfer = bank.open("10.00"), uuid4()
    with pytest.raises(InsufficientFunds):
        bank.dispatcher.dispatch(cmd.DebitForTransfer(source, Decimal("20.00"), transfer, LATER))
    assert bank.dispatcher.dispatch(cmd.ExpireTransfer(source, transfer)).stepped is False
    bank.dispatcher.dispatch(cmd.DepositFunds(source, Decimal("50.00")))
    with pytest.raises(TransferStepFenced) as refused:
        bank.dispatcher.dispatch(cmd.DebitForTransfer(source, Decimal("20.00"), transfer, LATER))
    assert refused.value.code == "transfer_expired"
    assert bank.account(source).balance == Decimal("60.00")
    assert bank.types(source)[-2:] == ["TransferExpired", "FundsDeposited"]


def test_a_stale_fence_decided_before_the_step_landed_answers_stepped():
    bank = Bank()
    source, transfer = bank.open("10.00"), uuid4()
    stale = bank.account(source)
    assert stale.expire(transfer, NOW) is False  # decided, not yet stored
    bank.dispatcher.dispatch(cmd.DebitForTransfer(source, Decimal("5.00"), transfer, LATER))
    with pytest.raises(EventAlreadyStored):
        bank.repository.save(stale)
    assert bank.dispatcher.dispatch(cmd.ExpireTransfer(source, transfer)).stepped is True


def test_step_rules_of_a_debit_and_a_credit():
    with pytest.raises(InsufficientFunds):
        BankAccount.open(uuid4(), "Ada", "SAVINGS", "10.00", NOW).transfer_step(
            FundsTransferredOut, Decimal("10.01"), uuid4(), NOW
        )
    closed = BankAccount.open(uuid4(), "Ada", "SAVINGS", "0.00", NOW)
    closed.close(NOW)
    for step in (FundsTransferredIn, FundsTransferredOut):
        with pytest.raises(AccountIsClosed):
            closed.transfer_step(step, Decimal("1.00"), uuid4(), NOW)
    assert closed.version == 2
