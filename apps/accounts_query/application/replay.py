"""Rebuilds the read models from the event store alone.

Events are read in batches in the order stored (each account's put in version order by
InOrder), folded in memory with the same fold the consumer uses, and written in bulk with
version-guarded upserts, so the API keeps serving reads and a running consumer keeps working
throughout. Statement lines are written in
the same transactions as the rows; a full replay ends with exactly one line per money event.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from ..domain.account_fold import AccountRow, InapplicableEvent, apply
from ..domain.event_message import EventMessage
from ..domain.statement import StatementEntry, statement_entry
from .in_order import InOrder
from .ports import AccountRows, EventSource, StatementLines

log = logging.getLogger(__name__)

Progress = Callable[[int, int, float], None]
T = TypeVar("T")


@dataclass
class ReplayResult:
    events: int = 0
    accounts: int = 0
    rejected: int = 0
    removed: int = 0
    lines_removed: int = 0
    seconds: float = 0.0


class Replay:
    def __init__(
        self,
        rows: AccountRows,
        events: EventSource,
        lines: StatementLines,
        batch_size: int,
        write_every: int,
    ) -> None:
        self.rows = rows
        self.events = events
        self.lines = lines
        self.batch_size = batch_size
        # Rows are written once this many events were folded since the last write (and at the
        # end): an account's row is written once per round, not once per batch touching it.
        self.write_every = write_every

    def all(self, progress: Progress | None = None) -> ReplayResult:
        started = time.monotonic()
        total = self.events.count()
        result = ReplayResult()
        # One row per account, not its events: its later events may come batches later.
        folded: dict[UUID, AccountRow] = {}
        touched: dict[UUID, AccountRow] = {}
        round_ = Round()
        unwritten = 0
        in_order = InOrder()
        if progress:
            progress(0, total, 0.0)
        for batch in read_ahead(self.events.read_all(self.batch_size)):
            for arrived in batch:
                for event in in_order.put(arrived):
                    try:
                        row = apply(folded.get(event.aggregate_id), event)
                    except InapplicableEvent as exc:
                        result.rejected += 1
                        _skip(event, exc)
                        continue
                    folded[event.aggregate_id] = touched[event.aggregate_id] = row
                    round_.add(event.aggregate_id, event.version, statement_entry(event))
            result.events += len(batch)
            unwritten += len(batch)
            if unwritten >= self.write_every:
                self._write(touched, round_)
                unwritten = 0
            if progress:
                # Other aggregates' events are in the store's count: they count as read.
                done = result.events + self.events.passed_over
                progress(done, max(total, done), time.monotonic() - started)
        for event in in_order.stranded():
            result.rejected += 1
            _skip(event, InapplicableEvent("a version before it is missing"))
        self._write(touched, round_)
        result.accounts = len(folded)
        with self.rows.atomic():
            result.removed = self._remove_unknown(set(folded))
            # Lines of accounts gone, or above what the store holds: the store never had them.
            result.lines_removed = self.lines.prune()
        result.seconds = time.monotonic() - started
        return result

    def account(self, account_id: UUID) -> ReplayResult:
        started = time.monotonic()
        row: AccountRow | None = None
        events = self.events.read_stream(account_id)
        entries: list[StatementEntry] = []
        for event in events:
            row = apply(row, event)
            if (entry := statement_entry(event)) is not None:
                entries.append(entry)
        with self.rows.atomic():
            self.rows.bump_epoch()
            lines_removed = self.lines.delete_accounts([account_id])
            if row is None:
                removed = self.rows.delete([account_id])
                return ReplayResult(
                    removed=removed,
                    lines_removed=lines_removed,
                    seconds=time.monotonic() - started,
                )
            self.rows.upsert([row])
            self.lines.add(entries)
        return ReplayResult(events=len(events), accounts=1, seconds=time.monotonic() - started)

    def _write(self, touched: dict[UUID, AccountRow], round_: Round) -> None:
        # Each row is a whole account state at some version: readers never see half a history.
        with self.rows.atomic():
            self.rows.bump_epoch()  # first: running workers wait, then forget what they hold
            self.rows.upsert(list(touched.values()))
            self.lines.put(round_.entries)
            # A line at a version whose event moves no money (AccountClosed) is not the store's.
            self.lines.delete(round_.silent)
        touched.clear()
        round_.clear()

    def _remove_unknown(self, known: set[UUID]) -> int:
        """Deletes rows of accounts the event store has never heard of."""
        strangers = [
            pk for pk in self.rows.ids() if pk not in known and not self.events.account_exists(pk)
        ]
        return self.rows.delete(strangers)


def _skip(event: EventMessage, exc: InapplicableEvent) -> None:
    log.error(
        "replay skips %s v%d of %s: %s", event.event_type, event.version, event.aggregate_id, exc
    )


class Round:
    """The statement entries folded since the last write, and the versions that have none."""

    def __init__(self) -> None:
        self.entries: list[StatementEntry] = []
        self.silent: list[tuple[UUID, int]] = []

    def add(self, account_id: UUID, version: int, entry: StatementEntry | None) -> None:
        if entry is None:
            self.silent.append((account_id, version))
        else:
            self.entries.append(entry)

    def clear(self) -> None:
        self.entries, self.silent = [], []


def read_ahead(batches: Iterator[T]) -> Iterator[T]:
    """Yields `batches`, reading the next one in a thread while the caller works on this one."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="replay-read") as reader:
        upcoming = reader.submit(next, batches, None)
        while (batch := upcoming.result()) is not None:
            upcoming = reader.submit(next, batches, None)
            yield batch
