"""Deadlines of the transfers' process manager: the fence past the deadline, and the ticker
that fires due entries, postpones failing ones and goes on with the others. No I/O."""

import logging
from datetime import timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from apps.accounts_command.domain.commands import (
    CreditForTransfer,
    DebitForTransfer,
    ExpireTransfer,
)
from apps.accounts_command.domain.errors import TransferTimedOut
from apps.transfers.domain.transfer import Stage
from tests.unit.transfer_fakes import NOW, TIMEOUT, Crash, World

A, B = uuid4(), uuid4()
LATE = TIMEOUT + 1


def world() -> World:
    return World({A: Decimal("100.00"), B: Decimal("0.00")})


def requested(w: World) -> UUID:
    return w.requests.request(A, B, Decimal("30.00")).id


def test_past_the_deadline_an_untaken_debit_is_fenced_and_the_transfer_fails():
    w = world()
    transfer_id = requested(w)
    w.clock.advance(LATE)
    transfer = w.manager.react(transfer_id)
    assert w.accounts.dispatched == [ExpireTransfer(A, transfer_id)]  # no debit is asked for
    assert (transfer.status, transfer.reason, transfer.version) == ("FAILED", "timed_out", 2)
    assert w.deadlines.entries == {}
    assert w.accounts.balances[A] == Decimal("100.00")


def test_past_the_deadline_a_debit_taken_before_a_crash_is_unwound():
    w = world()
    transfer_id = requested(w)
    w.crash_next_save = True
    with pytest.raises(Crash):  # debited, then died before recording TransferDebited
        w.manager.react(transfer_id)
    w.clock.advance(LATE)
    debited = w.manager.react(transfer_id)
    assert (debited.stage, w.accounts.dispatched[-1]) == (
        Stage.DEBITED,
        ExpireTransfer(A, transfer_id),
    )
    refused = w.manager.react(transfer_id)
    assert w.accounts.dispatched[-1] == ExpireTransfer(B, transfer_id)
    assert (refused.stage, refused.reason) == (Stage.COMPENSATING, "timed_out")
    w.manager.react(transfer_id)
    failed = w.manager.react(transfer_id)
    assert (failed.status, failed.reason, failed.version) == ("FAILED", "timed_out", 5)
    assert w.accounts.balances == {A: Decimal("100.00"), B: Decimal("0.00")}
    assert not any(isinstance(c, CreditForTransfer) for c in w.accounts.dispatched)


def test_past_the_deadline_a_credit_taken_before_a_crash_completes():
    w = world()
    transfer_id = requested(w)
    w.manager.react(transfer_id)
    w.crash_next_save = True
    with pytest.raises(Crash):
        w.manager.react(transfer_id)  # credited, TransferCredited lost
    w.clock.advance(LATE)
    completed = w.manager.react(transfer_id)
    assert ExpireTransfer(B, transfer_id) in w.accounts.dispatched[-3:]
    assert completed.stage is Stage.COMPLETED  # credited before the fence: completed
    assert w.accounts.balances == {A: Decimal("70.00"), B: Decimal("30.00")}


@pytest.mark.parametrize("command", [DebitForTransfer, CreditForTransfer])
def test_an_account_that_says_timed_out_is_answered_by_the_fence(command: type):
    w = world()
    transfer_id = requested(w)
    if command is CreditForTransfer:
        w.manager.react(transfer_id)
    w.accounts.refuse[command] = TransferTimedOut("the account's clock is ahead")
    transfer = w.manager.react(transfer_id)
    target = A if command is DebitForTransfer else B
    assert w.accounts.dispatched[-1] == ExpireTransfer(target, transfer_id)
    assert transfer.reason == "timed_out"
    assert transfer.stage is (Stage.FAILED if command is DebitForTransfer else Stage.COMPENSATING)


def test_an_expire_on_a_vanished_account_means_nothing_moved():
    w = world()
    transfer_id = requested(w)
    del w.accounts.balances[A]
    w.clock.advance(LATE)
    assert (w.manager.react(transfer_id).status, w.accounts.steps) == ("FAILED", [])


def test_an_entry_whose_request_was_never_recorded_is_forgotten():
    w = world()
    orphan = uuid4()
    w.deadlines.register(orphan, NOW, None)
    w.clock.advance(1)
    assert w.manager.due(None) == [orphan]
    assert w.manager.fire_due(None) == 1
    assert (w.deadlines.entries, w.accounts.dispatched) == ({}, [])


def test_fire_due_postpones_a_failing_transfer_and_goes_on_with_the_others(
    caplog: pytest.LogCaptureFixture,
):
    w = world()
    first, failing, last, not_due = (requested(w) for _ in range(4))
    w.deadlines.entries[not_due].due = NOW + timedelta(hours=1)
    w.clock.advance(LATE)
    real_dispatch = w.accounts.dispatch

    def dispatch(command: object) -> object:
        if getattr(command, "transfer_id", None) == failing:
            raise RuntimeError("boom\nsecond line")
        return real_dispatch(command)

    w.accounts.dispatch = dispatch  # type: ignore[method-assign]  # one that fails, for a while
    with caplog.at_level(logging.WARNING, "apps.transfers"):
        assert w.manager.fire_due(None) == 2
    assert [w.events(t)[-1] for t in (first, last, not_due)] == [
        "TransferFailed",
        "TransferFailed",
        "TransferRequested",
    ]
    entry = w.deadlines.entries[failing]
    assert (entry.due, entry.attempts) == (w.clock() + timedelta(seconds=1), 1)
    (line,) = caplog.records
    assert (line.exc_info, "\n" in line.getMessage(), str(failing) in line.getMessage()) == (
        None,
        False,
        True,
    )
    assert w.manager.due(None) == []
    w.clock.advance(1)
    assert w.manager.fire_due(None) == 0
    assert w.deadlines.entries[failing].due == w.clock() + timedelta(seconds=2)  # backs off
    for _ in range(8):
        w.clock.now = w.deadlines.entries[failing].due
        w.manager.fire_due(None)
    assert w.deadlines.entries[failing].due == w.clock() + timedelta(seconds=30)  # bounded
    w.accounts.dispatch = real_dispatch  # type: ignore[method-assign]  # the real one, back
    w.clock.now = w.deadlines.entries[failing].due
    assert w.manager.fire_due(None) == 1
    assert w.manager.react(failing).status == "FAILED"


def test_due_entries_are_fired_by_their_partition_member():
    w = world()
    new, mine, theirs = (requested(w) for _ in range(3))
    w.manager.react(mine, partition=1)
    w.manager.react(theirs, partition=2)
    w.clock.advance(LATE)
    assert set(w.manager.due({1})) == {new, mine}  # an entry of no partition yet: anyone's
    assert set(w.manager.due(None)) == {new, mine, theirs}
    w.manager.park(theirs, "dead-lettered after 5 attempts")
    assert (w.deadlines.entries[theirs].parked, w.manager.due({2})) == (
        "dead-lettered after 5 attempts",
        [new, theirs],
    )
