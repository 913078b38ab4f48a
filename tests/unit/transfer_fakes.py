"""In-memory parts for the transfers' process manager: accounts that keep the account side's
promises (each step once per transfer, the deadline's fence, refunds never refused), a
deadlines table, a settable clock, and a transfer store that can crash on the next save."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from apps.accounts_command.application.handlers import TransferStepStatus
from apps.accounts_command.domain.commands import (
    CreditForTransfer,
    DebitForTransfer,
    ExpireTransfer,
    RefundTransfer,
    SettleTransfer,
)
from apps.accounts_command.domain.errors import (
    AccountNotFound,
    InsufficientFunds,
    TransferTimedOut,
)
from apps.contract.routes import upcasters
from apps.eventstore.memory import InMemoryEventStore
from apps.eventstore.records import StoredEvent
from apps.eventstore.upcasting import UpcasterChain
from apps.transfers.application.process_manager import ProcessManager
from apps.transfers.application.requests import TransferRequests
from apps.transfers.infrastructure.transfer_repository import EventSourcedTransferRepository

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
TIMEOUT = 60


class Crash(Exception):
    """A process dying (or its database answering nothing) at this point."""


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class FakeAccounts:
    """AccountCommands over balances. `refuse` maps a command type to the refusal its next
    dispatch gets; `crash_next` makes the next dispatch fail before it changes anything;
    `rival_after_refusal` has another reaction's same step pass right after that refusal."""

    def __init__(self, clock: Clock, balances: dict[UUID, Decimal]) -> None:
        self.clock = clock
        self.balances = dict(balances)
        self.steps: list[tuple[UUID, UUID, str]] = []  # (account, transfer, step), applied
        self.fenced: set[tuple[UUID, UUID]] = set()
        self.settled: set[tuple[UUID, UUID]] = set()
        self.dispatched: list[object] = []
        self.refuse: dict[type, Exception] = {}
        self.crash_next: Exception | None = None
        self.rival_after_refusal = False

    def dispatch(self, command: Any) -> object:
        self.dispatched.append(command)
        if self.crash_next is not None:
            crash, self.crash_next = self.crash_next, None
            raise crash
        if isinstance(command, ExpireTransfer):
            return self._expire(command)
        if isinstance(command, SettleTransfer):
            # As the account side: a settle of a transfer it has no entry for does nothing.
            if self._took(command.account_id, command.transfer_id):
                self.settled.add((command.account_id, command.transfer_id))
            return None
        if isinstance(command, RefundTransfer):
            # The account side refuses no refund; the saga must ask for one only after a debit.
            assert self._took(command.account_id, command.transfer_id, "debit"), "refund unpaid"
            self._apply(command, "refund", command.amount)
            return None
        step, sign = ("debit", -1) if isinstance(command, DebitForTransfer) else ("credit", 1)
        assert isinstance(command, DebitForTransfer | CreditForTransfer)
        if self._took(command.account_id, command.transfer_id, step):
            return None  # a repeat of a step: stores nothing
        if (command.account_id, command.transfer_id) in self.fenced:
            raise TransferTimedOut("expired")
        if self.clock() > command.deadline:
            raise TransferTimedOut("past the deadline")
        if type(command) in self.refuse:
            refusal = self.refuse.pop(type(command))
            if self.rival_after_refusal and not isinstance(refusal, TransferTimedOut):
                # A racing reaction (a rebalance) asks again once the reason went away (a
                # deposit, say): its step passes right after ours was refused.
                self.rival_after_refusal = False
                self._apply(command, step, sign * command.amount)
            raise refusal
        if command.account_id not in self.balances:
            raise AccountNotFound("no such account")
        if step == "debit" and self.balances[command.account_id] < command.amount:
            raise InsufficientFunds("not enough")
        self._apply(command, step, sign * command.amount)
        return None

    def applied(self, step: str) -> list[tuple[UUID, UUID, str]]:
        return [s for s in self.steps if s[2] == step]

    def _expire(self, command: ExpireTransfer) -> TransferStepStatus:
        if command.account_id not in self.balances:
            raise AccountNotFound("no such account")
        if self._took(command.account_id, command.transfer_id):
            return TransferStepStatus(stepped=True)
        self.fenced.add((command.account_id, command.transfer_id))
        return TransferStepStatus(stepped=False)

    def _apply(self, command: Any, step: str, change: Decimal) -> None:
        key = (command.account_id, command.transfer_id, step)
        if key not in self.steps:
            self.steps.append(key)
            self.balances[command.account_id] += change

    def _took(self, account: UUID, transfer: UUID, step: str | None = None) -> bool:
        steps = {step} if step else {"debit", "credit"}
        return any((account, transfer, s) in self.steps for s in steps)


@dataclass
class Entry:
    due: datetime
    partition: int | None
    attempts: int = 0
    parked: str | None = None


class MemoryDeadlines:
    def __init__(self, journal: list[str] | None = None) -> None:
        self.entries: dict[UUID, Entry] = {}
        self.journal = journal if journal is not None else []

    def register(self, transfer_id: UUID, due: datetime, partition: int | None) -> None:
        self.journal.append("register")
        entry = self.entries.setdefault(transfer_id, Entry(due, partition))
        if partition is not None:
            entry.partition = partition

    def forget(self, transfer_id: UUID) -> None:
        self.entries.pop(transfer_id, None)

    def due(self, partitions: set[int] | None, now: datetime) -> list[UUID]:
        return [
            transfer_id
            for transfer_id, entry in sorted(self.entries.items(), key=lambda e: e[1].due)
            if entry.due <= now
            and (partitions is None or entry.partition is None or entry.partition in partitions)
        ]

    def postpone(self, transfer_id: UUID, until: datetime) -> None:
        self.entries[transfer_id].due = until
        self.entries[transfer_id].attempts += 1

    def park(self, transfer_id: UUID, reason: str) -> None:
        if transfer_id in self.entries:
            self.entries[transfer_id].parked = reason


@dataclass
class World:
    """A process manager and its parts; the store's saves go through `record`."""

    balances: dict[UUID, Decimal]
    clock: Clock = field(default_factory=Clock)
    # Old shapes lifted as every process's store lifts them (apps/store_parts.py).
    store: InMemoryEventStore = field(
        default_factory=lambda: InMemoryEventStore(UpcasterChain(upcasters()))
    )
    journal: list[str] = field(default_factory=list)
    crash_next_save: bool = False

    def __post_init__(self) -> None:
        self.accounts = FakeAccounts(self.clock, self.balances)
        self.deadlines = MemoryDeadlines(self.journal)
        self.transfers = EventSourcedTransferRepository(self.store, self.record, metadata=dict)
        self.manager = ProcessManager(self.transfers, self.accounts, self.deadlines, self.clock)
        self.requests = TransferRequests(
            self.transfers, self.deadlines, self.accounts.balances.__contains__, self.clock, TIMEOUT
        )

    def record(self, event: StoredEvent) -> None:
        if self.crash_next_save:
            self.crash_next_save = False
            raise Crash("died before recording the transfer event")
        self.journal.append(event.event_type)
        self.store.append(event)

    def events(self, transfer_id: UUID) -> list[str]:
        return [e.event_type for e in self.store.read_stream(str(transfer_id))]
