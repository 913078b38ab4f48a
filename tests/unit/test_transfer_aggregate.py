"""The Transfer aggregate and its stream: only the transitions of the saga, the contract's
shape (old shapes lifted on load), and only a Transfer stream read as a transfer. No I/O."""

from datetime import datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from apps.contract import transfer_events as contract
from apps.eventstore.records import StoredEvent
from apps.transfers.domain.transfer import Stage, Transfer
from tests.unit.transfer_fakes import NOW, World

A, B = uuid4(), uuid4()
DEBITED = (contract.TRANSFER_DEBITED.name, "")
REFUSED = (contract.TRANSFER_CREDIT_REFUSED.name, "account_closed")
COMPENSATED = (contract.TRANSFER_COMPENSATED.name, "")


def world() -> World:
    return World({A: Decimal("100.00"), B: Decimal("0.00")})


def test_the_aggregate_moves_only_along_its_transitions():
    transfer = Transfer.request(uuid4(), A, B, Decimal("5.00"), NOW, 90)
    assert (transfer.stage, transfer.status) == (Stage.REQUESTED, "PENDING")
    assert (transfer.timeout_seconds, transfer.deadline) == (90, NOW + timedelta(seconds=90))
    with pytest.raises(ValueError):  # no credit before a debit
        transfer.step(contract.TRANSFER_CREDITED.name, NOW)
    for event_type, reason in (DEBITED, REFUSED, COMPENSATED):
        transfer.step(event_type, NOW, reason)
    transfer.step(contract.TRANSFER_FAILED.name, NOW, "account_closed")
    assert (transfer.status, transfer.reason, transfer.version) == ("FAILED", "account_closed", 5)
    rebuilt = Transfer.rebuild(transfer.id, transfer.pull_pending_events())
    assert (rebuilt.status, rebuilt.completed_at, rebuilt.deadline) == (
        "FAILED",
        NOW,
        transfer.deadline,
    )
    with pytest.raises(ValueError):
        rebuilt.step(contract.TRANSFER_COMPLETED.name, NOW)


def test_the_aggregate_refuses_what_is_no_transfer_history():
    transfer = Transfer.request(uuid4(), A, B, Decimal("5.00"), NOW, 60)
    with pytest.raises(ValueError, match="needs reason"):
        transfer.step(contract.TRANSFER_FAILED.name, NOW)
    with pytest.raises(ValueError, match="takes no reason"):
        transfer.step(contract.TRANSFER_DEBITED.name, NOW, "why")
    with pytest.raises(KeyError):
        transfer.step("FundsDeposited", NOW)
    first = transfer.pull_pending_events()[0]
    stranger = type(first)(uuid4(), first.transfer_id, 1, "FundsDeposited", NOW, {})
    with pytest.raises(ValueError, match="no transfer event"):
        Transfer.rebuild(first.transfer_id, [stranger])


@pytest.mark.parametrize(
    ("amount", "now", "timeout"),
    [
        (Decimal("0.00"), NOW, 60),
        (Decimal("1.001"), NOW, 60),
        (Decimal("1.00"), NOW.replace(tzinfo=None), 60),
        (Decimal("1.00"), NOW, 0),
        (Decimal("1.00"), NOW, True),
        (Decimal("1.00"), NOW, 86_401),
    ],
)
def test_a_request_is_stored_only_in_the_contract_shape(
    amount: Decimal, now: datetime, timeout: int
):
    with pytest.raises(ValueError):
        Transfer.request(uuid4(), A, B, amount, now, timeout)


def test_a_schema_1_request_is_read_with_the_default_timeout():
    assert contract.UPCASTERS[(contract.TRANSFER_REQUESTED.name, 1)]({"amount": "1.00"}) == {
        "amount": "1.00",
        "timeout_seconds": 60,
    }
    w = world()
    transfer_id = uuid4()
    data = {"from_account": str(A), "to_account": str(B), "amount": "3.00"}
    w.store.append(
        StoredEvent(
            str(uuid4()), str(transfer_id), "Transfer", 1, "TransferRequested", 1, data, NOW
        )
    )
    transfer = w.transfers.load(transfer_id)
    assert (transfer.amount, transfer.deadline) == (Decimal("3.00"), NOW + timedelta(seconds=60))


def test_only_a_transfer_stream_is_a_transfer():
    w = world()
    data = {"holder": "Ada", "account_type": "SAVINGS", "opening_balance": "1.00"}
    w.store.append(
        StoredEvent(str(uuid4()), str(A), "BankAccount", 1, "AccountOpened", 2, data, NOW)
    )
    assert w.transfers.load(A).version == 0
    assert w.transfers.load(uuid4()).version == 0
    assert w.manager.react(A).version == 0
    assert w.accounts.dispatched == []
