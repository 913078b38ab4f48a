"""The statement's mapping: which events are money movements, and the entry each makes."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from apps.accounts_query.domain.event_message import EventMessage
from apps.accounts_query.domain.statement import ENTRY_TYPES, TYPES, statement_entry
from apps.accounts_query.models import StatementLine

ACCOUNT = uuid.uuid4()
TRANSFER = str(uuid.uuid4())
WHEN = datetime(2026, 3, 1, 10, 0, 0, 123000, tzinfo=UTC)


def event(event_type: str, version: int = 2, **data: str) -> EventMessage:
    # Hand-made, not parsed: the transfer events are not in this branch's contract yet.
    return EventMessage(str(uuid.uuid4()), event_type, 1, ACCOUNT, version, WHEN, data)


def test_an_opening_is_its_opening_balance():
    opened = event("AccountOpened", 1, holder="Ada", account_type="SAVINGS", opening_balance="10")
    entry = statement_entry(opened)
    assert entry is not None
    assert (entry.account_id, entry.version, entry.timestamp) == (ACCOUNT, 1, WHEN)
    assert (entry.type, entry.amount, entry.balance_after) == ("OPENING", Decimal("10"), 10)
    assert entry.transfer_id is None


@pytest.mark.parametrize(
    "event_type, line_type",
    [("FundsDeposited", "DEPOSIT"), ("FundsWithdrawn", "WITHDRAWAL")],
)
def test_deposits_and_withdrawals(event_type, line_type):
    entry = statement_entry(event(event_type, 7, amount="2.50", balance="12.50"))
    assert entry is not None
    assert (entry.type, entry.version, entry.amount, entry.balance_after, entry.transfer_id) == (
        line_type,
        7,
        Decimal("2.50"),
        Decimal("12.50"),
        None,
    )


@pytest.mark.parametrize(
    "event_type, line_type",
    [
        ("FundsTransferredOut", "TRANSFER_OUT"),
        ("FundsTransferredIn", "TRANSFER_IN"),
        ("TransferRefunded", "TRANSFER_IN"),
    ],
)
def test_transfer_events_carry_their_transfer_id(event_type, line_type):
    entry = statement_entry(
        event(event_type, 4, amount="30.00", balance="70.00", transfer_id=TRANSFER)
    )
    assert entry is not None
    assert (entry.type, entry.amount, entry.balance_after, entry.transfer_id) == (
        line_type,
        Decimal("30.00"),
        Decimal("70.00"),
        TRANSFER,
    )


@pytest.mark.parametrize("event_type", ["AccountClosed", "AccountRenamed"])
def test_events_that_move_no_money_make_no_entry(event_type):
    assert statement_entry(event(event_type)) is None


def test_every_entry_type_is_a_type_the_read_model_stores():
    assert set(TYPES) == set(StatementLine.Type.values)
    assert {t.type for t in ENTRY_TYPES.values()} == set(TYPES)
