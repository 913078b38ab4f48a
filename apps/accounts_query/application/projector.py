"""Applies a batch of events to the read models in one transaction, idempotently and in order."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from cachetools import LRUCache

from ..domain.account_fold import AccountRow, InapplicableEvent, apply
from ..domain.event_message import EventMessage
from .ports import AccountRows, EventSource

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    applied: int = 0
    skipped: int = 0
    gap_filled: int = 0
    rejected: list[tuple[EventMessage, str]] = field(default_factory=list)
    # The events applied, for the worker's per-event log line (projection_log).
    projected: list[EventMessage] = field(default_factory=list)

    def add(self, other: Outcome) -> None:
        self.applied += other.applied
        self.skipped += other.skipped
        self.gap_filled += other.gap_filled
        self.rejected += other.rejected
        self.projected += other.projected


class Projector:
    def __init__(self, rows: AccountRows, events: EventSource, remembered_rows: int) -> None:
        self.rows = rows
        # Where a gap in a stream is filled from: the event store.
        self.events = events
        # The rows this worker last committed, so a batch reads MySQL only for accounts it has
        # not seen. Each of them is a whole, correct state at its version. Kafka gives an
        # account's partition to one worker of the group at a time (forget() runs on every
        # rebalance), so it is normally the latest; if a replay wrote a newer row meanwhile,
        # the upsert's version guard keeps that row and the next events carry on from ours.
        self.remembered: LRUCache[UUID, AccountRow] = LRUCache(maxsize=remembered_rows)
        self.epoch = -1  # the replay epoch the remembered rows belong to

    def forget(self) -> None:
        self.remembered.clear()

    def project(self, events: Sequence[EventMessage]) -> Outcome:
        by_account: dict[UUID, list[EventMessage]] = defaultdict(list)
        for event in events:
            by_account[event.aggregate_id].append(event)
        outcome = Outcome()
        with self.rows.atomic():
            epoch = self.rows.epoch()
            if epoch != self.epoch:  # a replay wrote rows since: they may be newer than ours
                self.remembered.clear()
                self.epoch = epoch
            current = {a: self.remembered[a] for a in by_account if a in self.remembered}
            current.update(self.rows.load_for_update(a for a in by_account if a not in current))
            changed: list[AccountRow] = []
            for account_id, account_events in by_account.items():
                before = current.get(account_id)
                after = self._fold(before, account_events, outcome)
                if after is not before and after is not None:
                    changed.append(after)
            self.rows.upsert(changed)
        for row in changed:  # only once committed: a rolled-back batch is projected again
            self.remembered[row.id] = row
        return outcome

    def _fold(
        self, row: AccountRow | None, events: list[EventMessage], outcome: Outcome
    ) -> AccountRow | None:
        for event in sorted(events, key=lambda e: e.version):
            version = row.version if row else 0
            if event.version <= version:
                if self._stored_as(event):
                    outcome.skipped += 1  # delivered again: at-least-once, applied once
                else:
                    self._reject(outcome, event, "its version is applied, but as another event")
                continue
            try:
                if event.version > version + 1:
                    # A gap: an earlier event is still on its way (the relay re-sends what the
                    # web process never got acknowledged). Fill it from the event store.
                    missing = self.events.read_stream(
                        event.aggregate_id, version, event.version - 1
                    )
                    for earlier in missing:
                        row = apply(row, earlier)
                    outcome.gap_filled += len(missing)
                row = apply(row, event)
                outcome.applied += 1
                outcome.projected.append(event)
            except InapplicableEvent as exc:
                self._reject(outcome, event, str(exc))
        return row

    def _stored_as(self, event: EventMessage) -> bool:
        """Whether the store holds this very event (by event_id) at its version."""
        stored = self.events.read_stream(event.aggregate_id, event.version - 1, event.version)
        return bool(stored) and stored[0].event_id == event.event_id

    @staticmethod
    def _reject(outcome: Outcome, event: EventMessage, reason: str) -> None:
        outcome.rejected.append((event, reason))
        log.error(
            "event %s v%d of %s (%s) cannot be applied: %s",
            event.event_type,
            event.version,
            event.aggregate_id,
            event.event_id,
            reason,
        )
