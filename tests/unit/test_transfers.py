"""Transfer steps on an account, the Transfer aggregate, and the process manager over in-memory
parts: each step once, whatever repeats. No I/O."""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from apps.accounts_command.bootstrap import build_dispatcher
from apps.accounts_command.domain.account import BankAccount
from apps.accounts_command.domain.commands import DebitForTransfer, OpenAccount
from apps.accounts_command.domain.errors import AccountIsClosed, InsufficientFunds
from apps.accounts_command.domain.events import (
    FundsTransferredIn,
    FundsTransferredOut,
    TransferRefunded,
)
from apps.accounts_command.infrastructure.repository import EventSourcedAccountRepository
from apps.eventstore.memory import InMemoryEventStore
from apps.transfers.application.process_manager import ProcessManager
from apps.transfers.domain.transfer import Stage, Transfer
from apps.transfers.infrastructure.transfer_repository import EventSourcedTransferRepository

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def account(balance: str = "100.00") -> BankAccount:
    opened = BankAccount.open(uuid4(), "Ada", "SAVINGS", balance, NOW)
    opened.pull_pending_events()
    return opened


def test_a_step_is_applied_once_per_transfer():
    source, transfer = account(), uuid4()
    source.transfer_step(FundsTransferredOut, Decimal("30"), transfer, NOW)
    source.transfer_step(FundsTransferredOut, Decimal("30"), transfer, NOW)
    events = source.pull_pending_events()
    assert [type(e) for e in events] == [FundsTransferredOut]
    assert (events[0].balance, events[0].transfer_id, source.balance) == (
        Decimal("70.00"),
        transfer,
        Decimal("70.00"),
    )
    # The memory survives a snapshot and a rebuild from events.
    again = BankAccount.from_snapshot(source.snapshot())
    again.transfer_step(FundsTransferredOut, Decimal("30"), transfer, NOW)
    assert again.pull_pending_events() == []
    rebuilt = BankAccount.rebuild(source.id, [], source.snapshot())
    assert f"FundsTransferredOut:{transfer}" in rebuilt.transfer_steps


def test_step_rules():
    with pytest.raises(InsufficientFunds):
        account("10.00").transfer_step(FundsTransferredOut, Decimal("10.01"), uuid4(), NOW)
    closed = account("0.00")
    closed.close(NOW)
    with pytest.raises(AccountIsClosed):
        closed.transfer_step(FundsTransferredIn, Decimal("1"), uuid4(), NOW)
    closed.transfer_step(TransferRefunded, Decimal("1"), uuid4(), NOW)  # money goes home
    assert closed.balance == Decimal("1.00")


def test_the_transfer_aggregate_moves_through_its_stages():
    transfer = Transfer.request(uuid4(), uuid4(), uuid4(), Decimal("5.00"), NOW)
    assert (transfer.stage, transfer.status) == (Stage.REQUESTED, "PENDING")
    transfer.step("TransferDebited", NOW)
    transfer.step("TransferCreditRefused", NOW, "account_closed")
    transfer.step("TransferCompensated", NOW)
    transfer.step("TransferFailed", NOW, "account_closed")
    assert (transfer.status, transfer.reason, transfer.version) == ("FAILED", "account_closed", 5)
    rebuilt = Transfer.rebuild(transfer.id, transfer.pull_pending_events())
    assert (rebuilt.status, rebuilt.completed_at) == ("FAILED", NOW)
    with pytest.raises(ValueError):
        rebuilt.step("TransferCompleted", NOW)


class Rows:
    def __init__(self) -> None:
        self.shown: dict = {}

    def upsert(self, transfer: Transfer) -> None:
        self.shown[transfer.id] = transfer.status


def test_the_process_manager_repeats_no_step():
    store = InMemoryEventStore()
    accounts = build_dispatcher(EventSourcedAccountRepository(store, store.append), retries=5)
    source = accounts.dispatch(OpenAccount("A", "SAVINGS", Decimal("50"))).account_id
    target = accounts.dispatch(OpenAccount("B", "SAVINGS", Decimal("0"))).account_id
    transfers = EventSourcedTransferRepository(store, store.append, metadata=dict)
    transfer = Transfer.request(uuid4(), source, target, Decimal("20"), NOW)
    transfers.save(transfer)
    # A crash after the debit, before TransferDebited was recorded: the retry debits nothing.
    accounts.dispatch(DebitForTransfer(source, Decimal("20"), transfer.id))
    rows = Rows()
    manager = ProcessManager(transfers, rows, accounts, lambda: NOW)
    assert manager.advance(transfer.id).status == "COMPLETED"
    assert manager.advance(transfer.id).version == 4  # a redelivery changes nothing
    assert [e.event_type for e in store.read_stream(str(source))] == [
        "AccountOpened",
        "FundsTransferredOut",
    ]
    assert store.read_stream(str(target))[-1].data["balance"] == "20.00"
    assert rows.shown == {transfer.id: "COMPLETED"}
