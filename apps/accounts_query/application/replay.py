"""Rebuilds the read models from the event store alone.

Events are read in batches (each account's in version order), folded in memory with the same
fold the consumer uses, and written in bulk with version-guarded upserts, so the API keeps
serving reads and a running consumer keeps working throughout.
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
from .ports import AccountRows, EventSource

log = logging.getLogger(__name__)

Progress = Callable[[int, int, float], None]
T = TypeVar("T")


@dataclass
class ReplayResult:
    events: int = 0
    accounts: int = 0
    rejected: int = 0
    removed: int = 0
    seconds: float = 0.0


class Replay:
    def __init__(
        self,
        rows: AccountRows,
        events: EventSource,
        batch_size: int,
        write_every: int,
    ) -> None:
        self.rows = rows
        self.events = events
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
        unwritten = 0
        for batch in read_ahead(self.events.read_all(self.batch_size)):
            for event in batch:
                try:
                    row = apply(folded.get(event.aggregate_id), event)
                except InapplicableEvent as exc:
                    result.rejected += 1
                    log.error(
                        "replay skips %s v%d of %s: %s",
                        event.event_type,
                        event.version,
                        event.aggregate_id,
                        exc,
                    )
                    continue
                folded[event.aggregate_id] = touched[event.aggregate_id] = row
            result.events += len(batch)
            unwritten += len(batch)
            if unwritten >= self.write_every:
                self._write(touched)
                unwritten = 0
            if progress:
                progress(result.events, max(total, result.events), time.monotonic() - started)
        self._write(touched)
        result.accounts = len(folded)
        result.removed = self._remove_unknown(set(folded))
        result.seconds = time.monotonic() - started
        return result

    def account(self, account_id: UUID) -> ReplayResult:
        started = time.monotonic()
        row: AccountRow | None = None
        events = self.events.read_stream(account_id)
        for event in events:
            row = apply(row, event)
        with self.rows.atomic():
            self.rows.bump_epoch()
            if row is None:
                removed = self.rows.delete([account_id])
                return ReplayResult(removed=removed, seconds=time.monotonic() - started)
            self.rows.upsert([row])
        return ReplayResult(events=len(events), accounts=1, seconds=time.monotonic() - started)

    def _write(self, touched: dict[UUID, AccountRow]) -> None:
        # Each row is a whole account state at some version: readers never see half a history.
        with self.rows.atomic():
            self.rows.bump_epoch()  # first: running workers wait, then forget what they hold
            self.rows.upsert(list(touched.values()))
        touched.clear()

    def _remove_unknown(self, known: set[UUID]) -> int:
        """Deletes rows of accounts the event store has never heard of."""
        strangers = [
            pk for pk in self.rows.ids() if pk not in known and not self.events.account_exists(pk)
        ]
        return self.rows.delete(strangers)


def read_ahead(batches: Iterator[T]) -> Iterator[T]:
    """Yields `batches`, reading the next one in a thread while the caller works on this one."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="replay-read") as reader:
        upcoming = reader.submit(next, batches, None)
        while (batch := upcoming.result()) is not None:
            upcoming = reader.submit(next, batches, None)
            yield batch
