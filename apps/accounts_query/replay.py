"""Rebuilds the read models from the event store alone.

Events are read in batches in append order (each account's in version order), folded in memory
with the same projection the consumer uses, and written in bulk with version-guarded upserts,
so the API keeps serving reads and a running consumer keeps working throughout.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from django.db import transaction

from . import event_source, rows
from .models import Account
from .projection import AccountRow, InapplicableEvent, apply

log = logging.getLogger(__name__)

Progress = Callable[[int, int, float], None]
T = TypeVar("T")
# Rows are written once this many events have been folded since the last write (and at the
# end): an account's row is written once per round, not once per batch that touches it.
WRITE_EVERY = 20_000


@dataclass
class ReplayResult:
    events: int = 0
    accounts: int = 0
    rejected: int = 0
    removed: int = 0
    seconds: float = 0.0


def replay_all(
    batch_size: int = 2000, progress: Progress | None = None, write_every: int = WRITE_EVERY
) -> ReplayResult:
    started = time.monotonic()
    total = event_source.count()
    result = ReplayResult()
    # One row per account, not the events: an account's later events may come batches later.
    folded: dict[UUID, AccountRow] = {}
    touched: dict[UUID, AccountRow] = {}
    unwritten = 0
    for batch in read_ahead(event_source.read_all(batch_size)):
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
        if unwritten >= write_every:
            _write(touched)
            unwritten = 0
        if progress:
            progress(result.events, max(total, result.events), time.monotonic() - started)
    _write(touched)
    result.accounts = len(folded)
    result.removed = _remove_unknown(set(folded))
    result.seconds = time.monotonic() - started
    return result


def read_ahead(batches: Iterator[T]) -> Iterator[T]:
    """Yields `batches`, reading the next one in a thread while the caller works on this one."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="replay-read") as reader:
        upcoming = reader.submit(next, batches, None)
        while (batch := upcoming.result()) is not None:
            upcoming = reader.submit(next, batches, None)
            yield batch


def _write(touched: dict[UUID, AccountRow]) -> None:
    # Each row is a whole account state at some version: readers never see half a history.
    with transaction.atomic():
        rows.upsert(list(touched.values()))
    touched.clear()


def replay_account(account_id: UUID) -> ReplayResult:
    started = time.monotonic()
    row: AccountRow | None = None
    events = event_source.read_account(account_id)
    for event in events:
        row = apply(row, event)
    if row is None:
        removed, _ = Account.objects.filter(pk=account_id).delete()
        return ReplayResult(removed=removed, seconds=time.monotonic() - started)
    rows.upsert([row])
    return ReplayResult(events=len(events), accounts=1, seconds=time.monotonic() - started)


def _remove_unknown(known: set[UUID]) -> int:
    """Deletes rows of accounts the event store has never heard of."""
    strangers = [
        pk
        for pk in Account.objects.values_list("pk", flat=True).iterator(chunk_size=5000)
        if pk not in known and not event_source.account_exists(pk)
    ]
    for start in range(0, len(strangers), 1000):
        Account.objects.filter(pk__in=strangers[start : start + 1000]).delete()
    return len(strangers)
