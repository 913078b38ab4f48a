"""kill -9 a worker in the middle of a backlog; a restarted worker ends exactly right."""

import signal
import uuid
from decimal import Decimal

import pytest

from apps.accounts_command.domain.commands import DepositFunds, OpenAccount, WithdrawFunds
from apps.accounts_query.models import Account
from tests.harness.processes import start_worker
from tests.support import wait_until
from tests.wired import command_dispatcher, publisher

pytestmark = pytest.mark.kafka

ACCOUNTS = 60
DEPOSITS = 8


def make_backlog() -> dict[uuid.UUID, Decimal]:
    dispatcher = command_dispatcher()
    expected = {}
    for n in range(ACCOUNTS):
        account_id = dispatcher.dispatch(
            OpenAccount(f"holder {n}", "SAVINGS", Decimal("0"))
        ).account_id
        for d in range(1, DEPOSITS + 1):
            dispatcher.dispatch(DepositFunds(account_id, Decimal(d)))
        dispatcher.dispatch(WithdrawFunds(account_id, Decimal("1.50")))
        expected[account_id] = sum(Decimal(d) for d in range(1, DEPOSITS + 1)) - Decimal("1.50")
    assert publisher().flush(30) == 0
    return expected


def applied_versions() -> int:
    return sum(Account.objects.values_list("version", flat=True))


def test_killed_worker_restarts_without_losing_or_repeating(
    transactional_db, event_store_db, kafka_topic, tmp_path
):
    expected = make_backlog()
    total = ACCOUNTS * (DEPOSITS + 2)
    group = f"test-crash-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"

    first = start_worker(group, "--batch-size", "5", "--no-relay", log=log)
    try:
        wait_until(
            lambda: applied_versions() > 0,
            timeout=60,
            interval=0.01,
            what="the first worker to apply something",
        )
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        first.kill()
    at_kill = applied_versions()
    assert 0 < at_kill < total, f"kill landed outside the backlog ({at_kill}/{total})"

    second = start_worker(group, "--batch-size", "50", "--no-relay", log=log)
    try:
        wait_until(
            lambda: applied_versions() == total,
            timeout=90,
            what=f"all {total} events applied (log: {log})",
        )
        second.send_signal(signal.SIGTERM)
        assert second.wait(30) == 0
    finally:
        second.kill()

    rows = {a.id: a for a in Account.objects.all()}
    assert set(rows) == set(expected)
    for account_id, balance in expected.items():
        assert rows[account_id].balance == balance
        assert rows[account_id].version == DEPOSITS + 2
    assert "stopping after the current batch" in log.read_text()
