"""Applies a batch of events to the read models in one transaction, idempotently and in order."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from cachetools import LRUCache
from django.db import transaction

from . import rows
from .messages import EventMessage
from .projection import AccountRow, InapplicableEvent, apply

log = logging.getLogger(__name__)

# Reads the events of one account after a version, up to a version, from the event store.
GapReader = Callable[[UUID, int, int], list[EventMessage]]


@dataclass
class Outcome:
    applied: int = 0
    skipped: int = 0
    gap_filled: int = 0
    rejected: list[tuple[EventMessage, str]] = field(default_factory=list)
    # The events applied, for the worker's per-event log line (projection_log).
    projected: list[EventMessage] = field(default_factory=list)


class Projector:
    def __init__(self, read_gap: GapReader, remembered_rows: int = 100_000) -> None:
        self.read_gap = read_gap
        # The rows this worker last committed, so a batch reads MySQL only for accounts it has
        # not seen. Each of them is a whole, correct state at its version. Kafka gives an
        # account's partition to one worker of the group at a time (forget() runs on every
        # rebalance), so it is normally the latest; if a replay wrote a newer row meanwhile,
        # the upsert's version guard keeps that row and the next events carry on from ours.
        self.remembered: LRUCache[UUID, AccountRow] = LRUCache(maxsize=remembered_rows)

    def forget(self) -> None:
        self.remembered.clear()

    def project(self, events: Sequence[EventMessage]) -> Outcome:
        by_account: dict[UUID, list[EventMessage]] = defaultdict(list)
        for event in events:
            by_account[event.aggregate_id].append(event)
        outcome = Outcome()
        with transaction.atomic():
            current = {a: self.remembered[a] for a in by_account if a in self.remembered}
            current.update(rows.load_for_update(a for a in by_account if a not in current))
            changed: list[AccountRow] = []
            for account_id, account_events in by_account.items():
                before = current.get(account_id)
                after = self._fold(before, account_events, outcome)
                if after is not before and after is not None:
                    changed.append(after)
            rows.upsert(changed)
        for row in changed:  # only once committed: a rolled-back batch is projected again
            self.remembered[row.id] = row
        return outcome

    def _fold(
        self, row: AccountRow | None, events: list[EventMessage], outcome: Outcome
    ) -> AccountRow | None:
        for event in sorted(events, key=lambda e: e.version):
            version = row.version if row else 0
            if event.version <= version:
                outcome.skipped += 1  # delivered again: at-least-once, applied once
                continue
            try:
                if event.version > version + 1:
                    # A gap: an earlier event is still on its way (the relay re-sends what the
                    # web process never got acknowledged). Fill it from the event store.
                    missing = self.read_gap(event.aggregate_id, version, event.version - 1)
                    for earlier in missing:
                        row = apply(row, earlier)
                    outcome.gap_filled += len(missing)
                row = apply(row, event)
                outcome.applied += 1
                outcome.projected.append(event)
            except InapplicableEvent as exc:
                outcome.rejected.append((event, str(exc)))
                log.error(
                    "event %s v%d of %s cannot be applied: %s",
                    event.event_type,
                    event.version,
                    event.aggregate_id,
                    exc,
                )
        return row
