"""Transfer steps on an account (the account side of a transfer): each step once per transfer,
whatever repeats, and the rules a step meets. No I/O. (Moved from test_transfers.py, which now
covers the Transfer aggregate and its process manager; the account side owns these.)"""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from apps.accounts_command.domain.account import BankAccount
from apps.accounts_command.domain.errors import AccountIsClosed, InsufficientFunds
from apps.accounts_command.domain.events import (
    FundsTransferredIn,
    FundsTransferredOut,
    TransferRefunded,
)

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
