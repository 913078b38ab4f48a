"""Transfers against hostile requests and races: a transfer named as an account, a closed
account, a close racing the transfer that empties it, deposits racing a refund at the balance
ceiling, and a credit that comes too late. Each ends with the invariant of the fault tests
(transfer_rig.assert_invariant).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from apps.transfers.models import TransferRecord
from tests import wired
from tests.faults.transfer_rig import (
    TIMEOUT_SECONDS,
    assert_invariant,
    open_accounts,
    request_transfers,
    wait_all_final,
)
from tests.support import command, wait_until

pytestmark = pytest.mark.kafka


def test_requests_naming_a_transfer_a_closed_account_or_racing_a_close(teller, rig):
    source, target, closed, racer = open_accounts(teller, 4, "100.00")
    rig.start_member()
    first = request_transfers(teller, [source, target], 1, seed=1)
    wait_all_final(first)
    for body in (
        {"from_account": first[0], "to_account": target, "amount": "20.00"},
        {"from_account": source, "to_account": first[0], "amount": "20.00"},
    ):
        refused = teller.post("/api/v1/transfers/", body, format="json")
        assert refused.status_code == 404, refused.content
        assert refused.json()["code"] == "account_not_found"
    assert command(teller, closed, "withdraw", amount="100.00").status_code == 200
    assert command(teller, closed, "close").status_code == 200
    to_closed = teller.post(
        "/api/v1/transfers/",
        {"from_account": source, "to_account": closed, "amount": "10.00"},
        format="json",
    )
    assert to_closed.status_code == 202, to_closed.content
    # A close of the source while its whole balance is on its way out: refused until over.
    moving = teller.post(
        "/api/v1/transfers/",
        {"from_account": racer, "to_account": target, "amount": "100.00"},
        format="json",
    )
    answers: list[str] = []
    while not TransferRecord.objects.filter(id=moving.json()["id"]).exclude(status="PENDING"):
        answers.append(command(teller, racer, "close").json().get("code", "closed"))
        if answers[-1] == "closed":
            break
    ids = [first[0], to_closed.json()["id"], moving.json()["id"]]
    wait_all_final(ids)
    assert TransferRecord.objects.get(id=ids[1]).reason == "account_closed"
    assert set(answers) <= {"balance_not_zero", "transfer_in_flight", "closed"}, answers
    if "closed" in answers:  # only once the transfer was over, its money gone to the target
        assert TransferRecord.objects.get(id=ids[2]).status == "COMPLETED"
    accounts = [source, target, closed, racer]
    assert_invariant(accounts, Decimal("300.00"), ids)


def test_deposits_racing_a_refund_at_the_ceiling(teller, rig):
    from apps.accounts_command.domain.commands import DepositFunds
    from apps.accounts_command.domain.money import MAX_BALANCE

    source, target = open_accounts(teller, 2, "100.00")
    commands = wired.command_dispatcher()
    largest = Decimal("999999999.99")
    # The target is too full to take the credit: the transfer is refunded.
    left = MAX_BALANCE - Decimal("100.00") - Decimal("50.00")
    while left > 0:
        commands.dispatch(DepositFunds(uuid.UUID(target), min(left, largest)))
        left -= min(left, largest)
    ids = request_transfers(teller, [source, target], 0, seed=0)
    moving = teller.post(
        "/api/v1/transfers/",
        {"from_account": source, "to_account": target, "amount": "100.00"},
        format="json",
    ).json()["id"]
    rig.start_member()
    deposited = Decimal("0.00")
    # Deposits into the source race the refund; they may fill it only up to the room it keeps.
    while not TransferRecord.objects.filter(id=moving).exclude(status="PENDING").exists():
        answer = command(teller, source, "deposit", amount="999999999.99")
        if answer.status_code == 200:
            deposited += largest
        else:
            assert answer.json()["code"] == "balance_limit_exceeded", answer.content
            break
    ids.append(moving)
    wait_all_final(ids)
    assert TransferRecord.objects.get(id=moving).reason == "balance_limit_exceeded"
    total = MAX_BALANCE - Decimal("50.00") + Decimal("100.00") + deposited
    assert_invariant([source, target], total, ids)


def test_a_credit_that_comes_too_late_gives_the_source_its_money_back(teller, rig):
    from apps.transfers import bootstrap as transfers

    source, target = open_accounts(teller, 2, "100.00")
    moving = teller.post(
        "/api/v1/transfers/",
        {"from_account": source, "to_account": target, "amount": "40.00"},
        format="json",
    ).json()
    # This process takes the first step (the debit) and then nobody takes the next in time: no
    # member runs until the deadline has passed.
    manager = transfers.process_manager(wired.get().event_store, wired.command_dispatcher())
    manager.react(uuid.UUID(moving["id"]))
    assert command(teller, source, "close").json()["code"] == "transfer_in_flight"
    deadline = datetime.fromisoformat(moving["deadline"].replace("Z", "+00:00"))
    wait_until(lambda: datetime.now(UTC) > deadline, timeout=TIMEOUT_SECONDS + 5, interval=0.2)
    rig.start_member()
    wait_all_final([moving["id"]])
    record = TransferRecord.objects.get(id=moving["id"])
    assert (record.status, record.reason) == ("FAILED", "timed_out"), record
    assert_invariant([source, target], Decimal("200.00"), [moving["id"]])
