"""What the transfer tests share: the processes they run, and the invariant they end with."""

import subprocess
import uuid
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from apps.accounts_query.models import Account
from apps.transfers.models import TransferRecord
from tests.e2e.invariant import fold, stored_streams
from tests.harness.processes import start_manage, start_worker, stop
from tests.support import wait_until

STEP_EVENTS = ("FundsTransferredOut", "FundsTransferredIn", "TransferRefunded")


def start_transfers(group: str, log: Path) -> subprocess.Popen:
    return start_manage(["run_transfers", "--group", group, "--batch-size", "20"], log)


class Processes:
    """A consume_events worker and a run_transfers process manager, as real child processes."""

    def __init__(self, tmp_path: Path) -> None:
        self.log = tmp_path / "processes.log"
        self.group = f"test-transfers-{uuid.uuid4().hex[:8]}"
        self.worker = start_worker(f"test-worker-{uuid.uuid4().hex[:8]}", log=self.log)
        self.manager: subprocess.Popen | None = None

    def start_manager(self) -> None:
        self.manager = start_transfers(self.group, self.log)

    def stop(self) -> None:
        for process in (self.manager, self.worker):
            if process is not None:
                stop(process)


def post_transfer(client: Any, source: str, target: str, amount: str, **headers: str) -> Any:
    return client.post(
        "/api/v1/transfers/",
        {"from_account": source, "to_account": target, "amount": amount},
        format="json",
        **headers,
    )


def settled(client: Any, transfer_id: str, timeout: float = 60.0) -> dict[str, Any]:
    def final() -> dict[str, Any] | None:
        response = client.get(f"/api/v1/transfers/{transfer_id}/")
        if response.status_code != 200:  # not projected yet (503): the read model is eventual
            return None
        body = response.json()
        return body if body["status"] != "PENDING" else None

    return wait_until(final, timeout=timeout, interval=0.1, what=f"transfer {transfer_id}")


def assert_transfer_invariant(accounts: list[str], total: Decimal) -> None:
    """Money is conserved, no balance ever went negative, each row is its stream's fold, and
    every transfer moved money exactly as its final status says, each step exactly once."""

    def projected_to_the_end() -> dict[UUID, list[Any]] | None:
        # Read again each time: a settle may still be appended after a transfer is COMPLETED.
        streams = stored_streams()
        every = all(
            Account.objects.filter(id=a, version=len(streams[UUID(a)])).exists() for a in accounts
        )
        return streams if every else None

    streams = wait_until(
        projected_to_the_end,
        timeout=60,
        interval=0.2,
        what="the read model to reach every stream's end",
    )
    rows = {str(a.id): a for a in Account.objects.filter(id__in=accounts)}
    assert sum(r.balance for r in rows.values()) == total
    steps: Counter[tuple[str, str]] = Counter()
    for account in accounts:
        events = streams[UUID(account)]
        expected = fold(events)
        assert rows[account].balance == expected.balance, account
        assert rows[account].version == expected.version, account
        for event in events:
            if "balance" in event.data:
                assert Decimal(event.data["balance"]) >= 0, f"{account} went negative"
            if event.event_type in STEP_EVENTS:
                steps[(event.data["transfer_id"], event.event_type)] += 1
    assert all(n == 1 for n in steps.values()), f"a step applied twice: {steps.most_common(3)}"
    for record in TransferRecord.objects.all():
        out, into, back = (steps[(str(record.id), name)] for name in STEP_EVENTS)
        if record.status == "COMPLETED":
            assert (out, into, back) == (1, 1, 0), record
        else:
            assert record.status == "FAILED" and record.reason, record
            assert into == 0 and out == back, record
