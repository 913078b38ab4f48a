"""A property of the transfers' process manager: whatever refusals, crashes and late clocks
come, a transfer ends final, its deadline entry is gone, and no money is made or lost. No I/O."""

from decimal import Decimal
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.accounts_command.domain.commands import (
    CreditForTransfer,
    DebitForTransfer,
    ExpireTransfer,
)
from apps.accounts_command.domain.errors import (
    AccountIsClosed,
    BalanceLimitExceeded,
    InsufficientFunds,
    TransferTimedOut,
)
from apps.contract import transfer_events as contract
from tests.unit.transfer_fakes import TIMEOUT, Crash, World

A, B = uuid4(), uuid4()
LATE = TIMEOUT + 1
FAULTS = st.sampled_from(
    ["none", "refuse", "rival", "timed_out", "crash_before_command", "crash_after_command", "late"]
)
REFUSALS = st.sampled_from(
    [InsufficientFunds("no"), AccountIsClosed("no"), BalanceLimitExceeded("no")]
)


@settings(max_examples=300, deadline=None)
@given(faults=st.lists(st.tuples(FAULTS, REFUSALS), max_size=25))
def test_whatever_fails_a_transfer_ends_final_and_money_is_conserved(faults: list):
    w = World({A: Decimal("100.00"), B: Decimal("0.00")})
    transfer_id = w.requests.request(A, B, Decimal("30.00")).id
    for fault, refusal in [*faults, *[("none", None)] * 8]:
        if fault in ("refuse", "rival", "timed_out"):
            refused = TransferTimedOut("late") if fault == "timed_out" else refusal
            w.accounts.refuse[DebitForTransfer] = w.accounts.refuse[CreditForTransfer] = refused
            w.accounts.rival_after_refusal = fault == "rival"
        elif fault == "crash_before_command":
            w.accounts.crash_next = Crash("died before the command")
        elif fault == "crash_after_command":
            w.crash_next_save = True
        elif fault == "late":
            w.clock.advance(LATE)
        try:
            w.manager.react(transfer_id)
        except Crash:
            continue
    transfer = w.manager.react(transfer_id)
    assert transfer.final
    assert transfer_id not in w.deadlines.entries
    assert sum(w.accounts.balances.values()) == Decimal("100.00")
    debits, credits, refunds = (len(w.accounts.applied(s)) for s in ("debit", "credit", "refund"))
    assert debits <= 1 and refunds <= debits
    assert credits + refunds == debits  # the debit ends credited xor refunded
    assert (transfer.status == "COMPLETED") == (credits == 1)
    if transfer.reason == "timed_out":  # only the fence decides that a step will never come
        assert any(isinstance(c, ExpireTransfer) for c in w.accounts.dispatched)
    assert w.events(transfer_id)[-1] in (
        contract.TRANSFER_COMPLETED.name,
        contract.TRANSFER_FAILED.name,
    )
