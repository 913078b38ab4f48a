"""Transfer requests and the process manager's table: one step per reaction, each stage's
outcome recorded as its event, a lost race reloaded. No I/O."""

from datetime import timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from apps.accounts_command.domain.commands import (
    CreditForTransfer,
    DebitForTransfer,
    ExpireTransfer,
    RefundTransfer,
    SettleTransfer,
)
from apps.accounts_command.domain.errors import AccountIsClosed, AccountNotFound, DomainError
from apps.contract import transfer_events as contract
from apps.transfers.application.requests import SameAccount
from apps.transfers.domain.transfer import Stage
from tests.unit.transfer_fakes import NOW, TIMEOUT, World

A, B = uuid4(), uuid4()


def world(source: str = "100.00") -> World:
    return World({A: Decimal(source), B: Decimal("0.00")})


def at_stage(w: World, *steps: tuple[str, str]) -> UUID:
    """A transfer of 30.00 from A to B, requested and then taken through `steps` directly."""
    transfer = w.requests.request(A, B, Decimal("30.00"))
    for event_type, reason in steps:
        transfer.step(event_type, NOW, reason)
    w.transfers.save(transfer)
    return transfer.id


DEBITED = (contract.TRANSFER_DEBITED.name, "")
CREDITED = (contract.TRANSFER_CREDITED.name, "")
REFUSED = (contract.TRANSFER_CREDIT_REFUSED.name, "account_closed")
COMPENSATED = (contract.TRANSFER_COMPENSATED.name, "")


def test_a_request_stores_its_deadline_before_its_event():
    w = world()
    transfer = w.requests.request(A, B, Decimal("30"))
    assert w.journal == ["register", contract.TRANSFER_REQUESTED.name]
    entry = w.deadlines.entries[transfer.id]
    assert (entry.due, entry.partition) == (NOW + timedelta(seconds=TIMEOUT), None)
    stored = w.store.read_stream(str(transfer.id))[0]
    assert stored.data["timeout_seconds"] == TIMEOUT
    assert stored.schema_version == contract.TRANSFER_REQUESTED.schema_version == 2
    assert (transfer.version, transfer.status, transfer.amount) == (1, "PENDING", Decimal("30.00"))


@pytest.mark.parametrize(
    ("source", "target", "refusal"),
    [(A, A, SameAccount), (A, uuid4(), AccountNotFound), (uuid4(), B, AccountNotFound)],
)
def test_a_refused_request_stores_nothing(source: UUID, target: UUID, refusal: type[DomainError]):
    w = world()
    with pytest.raises(refusal) as raised:
        w.requests.request(source, target, Decimal("1.00"))
    codes: dict[type[DomainError], str] = {SameAccount: "same_account"}
    assert raised.value.code == codes.get(refusal, "account_not_found")
    assert (w.journal, w.deadlines.entries, w.store.count()) == ([], {}, 0)


def test_requested_debits_the_source_once_and_registers_its_partition():
    w = world()
    transfer_id = at_stage(w)
    transfer = w.manager.react(transfer_id, partition=2)
    deadline = NOW + timedelta(seconds=TIMEOUT)
    assert w.accounts.dispatched == [DebitForTransfer(A, Decimal("30.00"), transfer_id, deadline)]
    assert (transfer.stage, transfer.version) == (Stage.DEBITED, 2)  # one step, no more
    assert w.events(transfer_id)[-1] == contract.TRANSFER_DEBITED.name
    assert w.deadlines.entries[transfer_id].partition == 2
    assert w.accounts.balances == {A: Decimal("70.00"), B: Decimal("0.00")}


@pytest.mark.parametrize(
    ("source", "code"), [("10.00", "insufficient_funds"), (None, "account_not_found")]
)
def test_a_refused_debit_fails_the_transfer(source: str | None, code: str):
    w = world(source or "100.00")
    transfer_id = at_stage(w)
    if source is None:
        del w.accounts.balances[A]  # the source is no account (any more)
    transfer = w.manager.react(transfer_id)
    assert (transfer.status, transfer.reason, transfer.version) == ("FAILED", code, 2)
    assert transfer_id not in w.deadlines.entries
    assert w.accounts.steps == []
    # The refusal is made final: the debit is fenced off the source before the failure.
    assert [type(c) for c in w.accounts.dispatched] == [DebitForTransfer, ExpireTransfer]


def test_debited_credits_the_target():
    w = world()
    transfer_id = at_stage(w)
    w.manager.react(transfer_id)
    transfer = w.manager.react(transfer_id)
    deadline = NOW + timedelta(seconds=TIMEOUT)
    assert w.accounts.dispatched[-3] == CreditForTransfer(
        B, Decimal("30.00"), transfer_id, deadline
    )
    # Credited and completed in the same reaction; then both accounts forget it.
    assert (transfer.stage, transfer.version) == (Stage.COMPLETED, 4)
    assert w.accounts.dispatched[-2:] == [
        SettleTransfer(A, transfer_id),
        SettleTransfer(B, transfer_id),
    ]
    assert w.accounts.balances == {A: Decimal("70.00"), B: Decimal("30.00")}
    assert transfer_id not in w.deadlines.entries


def test_a_refused_credit_is_recorded_before_any_refund():
    w = world()
    transfer_id = at_stage(w)
    w.manager.react(transfer_id)
    w.accounts.refuse[CreditForTransfer] = AccountIsClosed("closed")
    transfer = w.manager.react(transfer_id)
    assert (transfer.stage, transfer.reason, transfer.version) == (
        Stage.COMPENSATING,
        "account_closed",
        3,
    )
    assert not any(isinstance(c, RefundTransfer) for c in w.accounts.dispatched)
    assert w.accounts.dispatched[-1] == ExpireTransfer(B, transfer_id)


@pytest.mark.parametrize("command", [DebitForTransfer, CreditForTransfer])
def test_a_step_that_a_racing_reaction_took_after_a_refusal_is_not_lost(command: type):
    w = world()
    transfer_id = at_stage(w)
    if command is CreditForTransfer:
        w.manager.react(transfer_id)
    w.accounts.refuse[command] = AccountIsClosed("refused, then passed for another reaction")
    w.accounts.rival_after_refusal = True
    transfer = w.manager.react(transfer_id)
    assert transfer.stage is (Stage.DEBITED if command is DebitForTransfer else Stage.COMPLETED)
    while not transfer.final:
        transfer = w.manager.react(transfer_id)
    assert transfer.status == "COMPLETED"
    assert w.accounts.balances == {A: Decimal("70.00"), B: Decimal("30.00")}


def test_credited_left_by_a_crash_completes_then_settles_both_sides():
    w = world()
    transfer_id = at_stage(w, DEBITED, CREDITED)  # the process died between the two records
    transfer = w.manager.react(transfer_id)
    assert w.accounts.dispatched == [
        SettleTransfer(A, transfer_id),
        SettleTransfer(B, transfer_id),
    ]
    assert (transfer.status, transfer.completed_at, transfer.version) == ("COMPLETED", NOW, 4)
    assert transfer_id not in w.deadlines.entries


def test_compensating_refunds_then_compensated_fails_with_the_refusal():
    w = world()
    transfer_id = at_stage(w, DEBITED, REFUSED)
    w.accounts.balances[A] -= Decimal("30.00")
    w.accounts.steps.append((A, transfer_id, "debit"))  # the debit the saga took
    compensated = w.manager.react(transfer_id)
    assert w.accounts.dispatched == [RefundTransfer(A, Decimal("30.00"), transfer_id)]
    assert (compensated.stage, compensated.version) == (Stage.COMPENSATED, 4)
    assert w.accounts.balances[A] == Decimal("100.00")
    failed = w.manager.react(transfer_id)
    assert (failed.status, failed.reason, failed.version) == ("FAILED", "account_closed", 5)
    assert len(w.accounts.dispatched) == 1  # failing takes no account step


def test_a_final_transfer_settles_again_and_forgets_its_deadline():
    w = world()
    transfer_id = at_stage(w, DEBITED, CREDITED, (contract.TRANSFER_COMPLETED.name, ""))
    assert transfer_id in w.deadlines.entries  # e.g. the process died before forgetting it
    transfer = w.manager.react(transfer_id)
    assert (transfer.status, transfer.version) == ("COMPLETED", 4)
    # A repeat of the settles changes nothing on the accounts; the entry is gone.
    assert w.accounts.dispatched == [SettleTransfer(A, transfer_id), SettleTransfer(B, transfer_id)]
    assert w.deadlines.entries == {}


def test_a_lost_race_on_the_transfer_stream_reloads_the_winner():
    w = world()
    transfer_id = at_stage(w)
    rival = World(w.balances, w.clock, w.store)
    rival.accounts = w.accounts
    rival.manager.accounts = w.accounts
    first_dispatch = w.accounts.dispatch

    def dispatch_while_the_rival_reacts(command: object) -> object:
        w.accounts.dispatch = first_dispatch  # the rival's own dispatch goes straight through
        rival.manager.react(transfer_id)  # redelivered elsewhere: it debits and records first
        return first_dispatch(command)

    w.accounts.dispatch = dispatch_while_the_rival_reacts
    transfer = w.manager.react(transfer_id)
    assert (transfer.stage, transfer.version) == (Stage.DEBITED, 2)
    assert w.events(transfer_id) == [
        contract.TRANSFER_REQUESTED.name,
        contract.TRANSFER_DEBITED.name,
    ]
    assert w.accounts.applied("debit") == [(A, transfer_id, "debit")]
    assert w.accounts.balances[A] == Decimal("70.00")


def test_a_transfer_this_process_finished_is_not_read_or_settled_again():
    w = world()
    transfer_id = at_stage(w)
    w.manager.react(transfer_id)
    done = w.manager.react(transfer_id)
    assert done.status == "COMPLETED"
    dispatched = list(w.accounts.dispatched)
    w.deadlines.register(transfer_id, NOW, None)  # would be forgotten again if looked at
    again = w.manager.react(transfer_id)  # the messages of its last events, delivered later
    assert again is done
    assert w.accounts.dispatched == dispatched
    assert transfer_id in w.deadlines.entries
    w.manager.fire_due(None)  # an entry that outlived its transfer is only forgotten
    assert (w.accounts.dispatched, w.deadlines.entries) == (dispatched, {})
