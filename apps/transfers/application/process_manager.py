"""The transfers' process manager: reacts to a transfer's latest event with its next step.

The event store is the source of truth: a message or a due deadline only says "look at this
transfer". Each reaction loads the transfer, takes the ONE step its stage calls for
(steps.py) and records the next transfer event. Every account step is idempotent per
(transfer, step), and each transfer event is the stream's next version, so two reactions to the
same state (a redelivery, a rebalance, the deadline ticker) make one lose the race and reload:
a crash anywhere leaves a state from which the next reaction carries on.

Every event a reaction records, the account steps' and the transfer's, names the process as
its actor (`system:run_transfers`), the request that asked for the transfer as its correlation,
and the transfer event the reaction reacted to as its cause (kernel/request_context.py).

Deadlines are stored entries (ports.Deadlines): created before the transfer is requested,
deleted once it is final. A due entry fires a reaction; a reaction that fails moves its entry
on by a bounded backoff, so a transfer is tried again later and never holds up the others.
"""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from uuid import UUID

from cachetools import LRUCache

from kernel import request_context
from kernel.concurrency import ConcurrencyError

from ..domain.transfer import Stage, Transfer
from .ports import AccountCommands, Clock, Deadlines, TransferRepository
from .steps import settle, take_step

log = logging.getLogger(__name__)


class ProcessManager:
    def __init__(
        self,
        transfers: TransferRepository,
        accounts: AccountCommands,
        deadlines: Deadlines,
        clock: Clock,
        retry_backoff: timedelta = timedelta(seconds=1),
        max_backoff: timedelta = timedelta(seconds=30),
        finished_size: int = 10_000,
        actor: str = request_context.system_actor("run_transfers"),
    ) -> None:
        self.transfers = transfers
        self.accounts = accounts
        self.deadlines = deadlines
        self.clock = clock
        self.retry_backoff = retry_backoff
        self.max_backoff = max_backoff
        self.actor = actor
        # Failed reactions in a row per transfer, for the backoff (the entry counts them too).
        self._failures: dict[UUID, int] = {}
        # Transfers this process saw final and finished (settled, deadline forgotten): the
        # messages of their last events still come, and need no reading or writing at all.
        self._finished: LRUCache[UUID, Transfer] = LRUCache(finished_size)
        self._finished_lock = threading.Lock()

    def react(self, transfer_id: UUID, partition: int | None = None) -> Transfer:
        """Takes the transfer's next step (if any) and returns its state after it.

        `partition`: the partition its events came from, so that the member owning that
        partition is the one that fires its deadline."""
        finished = self._finished_here(transfer_id)
        if finished is not None:  # final is for good
            return finished
        transfer = self.transfers.load(transfer_id)
        if not transfer.version or transfer.final:
            # Final: the accounts forget a completed transfer, then its deadline has nothing
            # left to do. No transfer: the entry's request died before recording it (entries
            # are written first), or the id is no transfer.
            self._finish(transfer)
            return transfer
        if transfer.stage is Stage.REQUESTED:
            assert transfer.deadline is not None
            self.deadlines.register(transfer.id, transfer.deadline, partition)
        try:
            with self._caused_by(transfer):
                take_step(transfer, self.accounts, self.clock())
                self.transfers.save(transfer)
        except ConcurrencyError:  # another reaction recorded this step first: go on from there
            return self.transfers.load(transfer_id)
        if transfer.final:
            self._finish(transfer)
        return transfer

    def _finished_here(self, transfer_id: UUID) -> Transfer | None:
        with self._finished_lock:
            return self._finished.get(transfer_id)

    @contextmanager
    def _caused_by(self, transfer: Transfer) -> Iterator[None]:
        """The events recorded inside are caused by the transfer's latest event as it is now."""
        fields = {"actor": self.actor, "causation_id": str(transfer.last_event_id)}
        if transfer.correlation_id is not None:
            fields["correlation_id"] = transfer.correlation_id
        with request_context.bound(**fields):
            yield

    def _finish(self, transfer: Transfer) -> None:
        if transfer.status == "COMPLETED":
            with self._caused_by(transfer):  # the settling is caused by TransferCompleted
                settle(transfer, self.accounts)
        self.deadlines.forget(transfer.id)
        if transfer.final:
            with self._finished_lock:
                self._finished[transfer.id] = transfer

    def due(self, partitions: set[int] | None, now: datetime | None = None) -> list[UUID]:
        """The transfers whose deadline entry is due, of these partitions (None: all)."""
        return self.deadlines.due(partitions, now or self.clock())

    def fire_due(self, partitions: set[int] | None) -> int:
        """Reacts to each due transfer; returns how many reactions succeeded.

        One transfer's failure postpones its entry and the others go on. A failure to
        postpone (the deadlines' store is down) propagates: the caller pauses."""
        fired = 0
        for transfer_id in self.due(partitions):
            try:
                if self._finished_here(transfer_id):
                    self.deadlines.forget(transfer_id)  # an entry that outlived its transfer
                    continue
                self.react(transfer_id)
            except Exception as exc:  # noqa: BLE001 - any failure: retried later, never a halt
                self._postpone(transfer_id, exc)
                continue
            self._failures.pop(transfer_id, None)
            fired += 1
        return fired

    def park(self, transfer_id: UUID, reason: str) -> None:
        """Marks the transfer's entry parked (for operators); its deadline still fires."""
        self.deadlines.park(transfer_id, reason)

    def _postpone(self, transfer_id: UUID, exc: Exception) -> None:
        failures = self._failures.get(transfer_id, 0) + 1
        self._failures[transfer_id] = failures
        delay = min(self.retry_backoff * 2 ** (failures - 1), self.max_backoff)
        until = self.clock() + delay
        self.deadlines.postpone(transfer_id, until)
        # One line, no traceback: a transfer failing every second must not flood the log.
        log.warning(
            "transfer %s failed (%r, try %d); next try at %s",
            transfer_id,
            exc,
            failures,
            until.isoformat(),
        )
