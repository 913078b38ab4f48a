"""What the transfer fault tests share: the processes they run, the transfers they request, and
the invariant every one of them ends with.

The web side runs in this process (the DRF test client); `consume_events` and `run_transfers`
members are real child processes on this test run's databases and topics. Transfers get a short
deadline here (TIMEOUT_SECONDS) so that deadline paths finish within a test.
"""

from __future__ import annotations

import random
import subprocess
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from django.db import connection
from rest_framework.test import APIClient

from apps.accounts_command.infrastructure.repository import EventSourcedAccountRepository
from apps.transfers.models import TransferRecord
from tests import wired
from tests.e2e.transfer_support import assert_transfer_invariant
from tests.harness.processes import kill, start_manage, start_worker, stop
from tests.support import open_account, wait_until

TIMEOUT_SECONDS = 20
# How long past its deadline a transfer may take to be final: the deadline poll (1 s), a
# member's restart and group join, a retry's backoff, and the projection of the last event.
MARGIN_SECONDS = 20


class TransferRig:
    """A consume_events worker and any number of run_transfers members, as child processes."""

    def __init__(self, tmp_path: Path, env: dict[str, str] | None = None) -> None:
        self.log = tmp_path / "processes.log"
        self.env = {"TRANSFER_TIMEOUT_SECONDS": str(TIMEOUT_SECONDS), **(env or {})}
        self.group = f"test-pm-{uuid.uuid4().hex[:8]}"
        self.rows_group = f"test-rows-{uuid.uuid4().hex[:8]}"
        self.worker = start_worker(
            f"test-worker-{uuid.uuid4().hex[:8]}", log=self.log, env=self.env
        )
        self.members: list[subprocess.Popen] = []

    def start_member(self) -> subprocess.Popen:
        member = start_manage(
            ["run_transfers", "--group", self.group],
            self.log,
            {"TRANSFERS_PROJECTION_GROUP": self.rows_group, **self.env},
        )
        self.members.append(member)
        return member

    def kill(self, member: subprocess.Popen) -> None:
        kill(member)

    def stop(self) -> None:
        for process in [*self.members, self.worker]:
            stop(process)


def open_accounts(teller: APIClient, count: int, balance: str) -> list[str]:
    return [open_account(teller, f"holder {n}", balance) for n in range(count)]


def request_transfers(
    teller: APIClient, accounts: list[str], count: int, seed: int, top: int = 20000
) -> list[str]:
    """`count` transfers between random pairs of `accounts`, from 12 threads at once."""
    # Each thread its own client (and DB connection) with the teller's credentials, which
    # DRF's test client keeps in a private attribute (no getter; its stubs leave it out).
    credentials = teller._credentials  # type: ignore[attr-defined]
    rng = random.Random(seed)
    plan = [(*rng.sample(accounts, 2), f"{rng.randint(1, top) / 100:.2f}") for _ in range(count)]
    local = threading.local()

    def send(step: tuple[str, str, str]) -> str:
        if not hasattr(local, "client"):
            local.client = APIClient()
            local.client.credentials(**credentials)
        source, target, amount = step
        try:
            response = local.client.post(
                "/api/v1/transfers/",
                {"from_account": source, "to_account": target, "amount": amount},
                format="json",
            )
        finally:
            connection.close()
        assert response.status_code == 202, response.content
        return str(response.json()["id"])

    with ThreadPoolExecutor(12) as pool:
        return list(pool.map(send, plan))


def final_count(ids: list[str]) -> int:
    return TransferRecord.objects.filter(id__in=ids).exclude(status="PENDING").count()


def wait_all_final(ids: list[str], timeout: float = TIMEOUT_SECONDS + MARGIN_SECONDS + 30) -> None:
    wait_until(
        lambda: final_count(ids) == len(ids),
        timeout=timeout,
        interval=0.2,
        what=f"all {len(ids)} transfers final ({final_count(ids)} so far)",
    )


def assert_invariant(accounts: list[str], total: Decimal, ids: list[str]) -> None:
    """Every transfer is final within its deadline plus MARGIN_SECONDS, and then the shared
    invariant (transfer_support.assert_transfer_invariant): money is conserved, each account
    row equals the fold of its stream, no balance is ever negative, each step was taken at most
    once and as the transfer's outcome says. And no account is left with a transfer in
    flight: nothing is held back from its owner."""
    wait_all_final(ids)
    store = wired.event_store()
    accounts_now = EventSourcedAccountRepository(store, store.append)  # no cache: the store's

    def in_flight() -> dict[str, object]:
        states = {a: accounts_now.load(UUID(a), latest=True).in_flight for a in accounts}
        return {a: held for a, held in states.items() if held}

    # A completed transfer's settles follow its COMPLETED (or, if its member died first, its
    # deadline's firing): wait for them.
    wait_until(
        lambda: not in_flight(),
        timeout=TIMEOUT_SECONDS + MARGIN_SECONDS,
        interval=0.2,
        what="every account to hold no transfer in flight",
    )
    assert_transfer_invariant(accounts, total)
    for record in TransferRecord.objects.filter(id__in=ids):
        assert record.completed_at is not None and record.deadline is not None, record
        late = record.completed_at - record.deadline
        assert late <= timedelta(seconds=MARGIN_SECONDS), f"{record.id} final {late} late"
    assert in_flight() == {}, "an account holds a transfer in flight"
