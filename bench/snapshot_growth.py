"""snapshot_growth: how an account's stored snapshot grows with its transfer history.

One source and one target account take transfer after transfer through the real command path
(dispatcher, repository, FerretDB; no publishing), each transfer in four account steps: the
debit, the credit, and a settle on each side. The source's stored snapshot document (its BSON
bytes, as the server keeps it) is measured after each of the first 10 steps and each of the
last 10 up to 10,000 (1,000 in a quick run); the figure is the largest of the late ones over
the largest of the early ones, so both windows hold the same phases of a transfer (in flight
or settled). Target: <= 2 (an account keeps only the transfers in flight, issue 16).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from .harness import Bench
from .report import figure, log

EARLY = 10
LATE = {True: 1_000, False: 10_000}  # by quick


def measure(bench: Bench) -> dict[str, Any]:
    import bson

    from apps.accounts_command.bootstrap import build_dispatcher
    from apps.accounts_command.domain.commands import (
        CreditForTransfer,
        DebitForTransfer,
        OpenAccount,
        SettleTransfer,
    )
    from apps.accounts_command.infrastructure.repository import EventSourcedAccountRepository
    from apps.store_parts import store_parts

    parts = store_parts(publishing=False)
    # A snapshot after every command, so that the one measured is the state at that step.
    repository = EventSourcedAccountRepository(parts.store, parts.recorder.record)
    dispatch = build_dispatcher(repository, retries=3).dispatch
    source = dispatch(OpenAccount("Snapshot source", "CURRENT", Decimal("1000000.00"))).account_id
    target = dispatch(OpenAccount("Snapshot target", "CURRENT", Decimal("0.00"))).account_id

    def snapshot_bytes(account: UUID) -> int:
        found = parts.store.snapshots.find_one({"_id": str(account)})
        assert found is not None, f"no snapshot of {account}"
        return len(bson.encode(found))

    late = LATE[bench.quick]
    early_sizes: list[int] = []
    late_sizes: list[int] = []
    steps = 0
    deadline = datetime.now(UTC) + timedelta(hours=1)
    while steps < late:
        transfer = uuid4()
        for command in (
            DebitForTransfer(source, Decimal("0.01"), transfer, deadline),
            CreditForTransfer(target, Decimal("0.01"), transfer, deadline),
            SettleTransfer(source, transfer),
            SettleTransfer(target, transfer),
        ):
            dispatch(command)
            steps += 1
            if steps <= EARLY:
                early_sizes.append(snapshot_bytes(source))
            elif steps > late - EARLY:
                late_sizes.append(snapshot_bytes(source))
        if steps % 2000 == 0:
            log(f"snapshot_growth: {steps:,}/{late:,} steps")
    return figure(
        max(late_sizes),
        max(early_sizes),
        "bytes (late/early)",
        steps_early=EARLY,
        steps_late=late,
        early_bytes=early_sizes,
        late_bytes=late_sizes,
    )
