"""The transfers' read model (TransferRecord rows), projected from the transfer topic.

Its own consumer group (TRANSFERS_PROJECTION_GROUP) folds each transfer's events into its row,
version-guarded like the accounts' projection: an event applies only at the row's version + 1;
a duplicate (at or below it) is skipped; a gap is filled from the transfer's stream in the event
store first. One transaction per batch, committed before the offsets: a crash repeats a batch,
and a repeat changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID

from confluent_kafka import Message
from django.db import transaction

from apps.messaging.consumer import BatchConsumer, ConsumerSettings, Delivery, Failures

from ..domain.transfer_fold import InapplicableTransferEvent, TransferRow, apply
from ..domain.transfer_message import TransferMessage, parse
from ..models import TransferRecord
from .transfer_messages import decoded

log = logging.getLogger(__name__)

# The event store's reader: (aggregate id, after version, how many) -> envelopes in order.
StreamReader = Callable[[str, int, int | None], list[dict[str, Any]]]


@dataclass
class Folded:
    applied: int = 0
    skipped: int = 0
    gap_filled: int = 0


class TransferProjection:
    def __init__(self, stream: StreamReader) -> None:
        self.stream = stream

    def project(self, events: list[TransferMessage]) -> Folded:
        folded = Folded()
        with transaction.atomic():
            ids = {event.transfer_id for event in events}
            stored = {
                record.id: _row(record)
                for record in TransferRecord.objects.select_for_update().filter(id__in=ids)
            }
            rows: dict[UUID, TransferRow | None] = {i: stored.get(i) for i in ids}
            for event in events:
                row = rows[event.transfer_id]
                have = row.version if row else 0
                if event.version <= have:
                    folded.skipped += 1  # at-least-once delivery: seen already
                    continue
                for missing in self._missing(event.transfer_id, have, event.version):
                    row = apply(row, missing)
                    folded.gap_filled += 1
                rows[event.transfer_id] = apply(row, event)
                folded.applied += 1
            for transfer_id, row in rows.items():
                if row is not None and row != stored.get(transfer_id):
                    _write(row, stored.get(transfer_id))
        return folded

    def _missing(self, transfer_id: UUID, have: int, arrived: int) -> list[TransferMessage]:
        """Versions have+1 .. arrived-1, from the store (they were lost or are still coming)."""
        if arrived == have + 1:
            return []
        found = [parse(m) for m in self.stream(str(transfer_id), have, arrived - have - 1)]
        if [m.version for m in found] != list(range(have + 1, arrived)):
            raise InapplicableTransferEvent(
                f"the store lacks versions {have + 1}..{arrived - 1} of transfer {transfer_id}"
            )
        return found


def _row(record: TransferRecord) -> TransferRow:
    return TransferRow(**{name: getattr(record, name) for name in TransferRow.__annotations__})


def _write(row: TransferRow, before: TransferRow | None) -> None:
    fields = asdict(row)
    del fields["id"]
    if before is None:
        TransferRecord.objects.create(id=row.id, **fields)
    elif not TransferRecord.objects.filter(id=row.id, version=before.version).update(**fields):
        # The row is locked (select_for_update): nobody can have moved it meanwhile.
        raise InapplicableTransferEvent(f"transfer {row.id} row moved from v{before.version}")


class TransferRowsConsumer(BatchConsumer[TransferMessage]):
    def __init__(self, settings: ConsumerSettings, projection: TransferProjection) -> None:
        super().__init__(settings)
        self.projection = projection
        self.totals.update({"applied": 0, "skipped": 0, "gap_filled": 0})

    def decode(self, message: Message) -> TransferMessage:
        return decoded(message)

    def process(self, deliveries: list[Delivery[TransferMessage]]) -> Failures[TransferMessage]:
        # All or nothing: a failing event fails the batch, and the base tries them one by one.
        folded = self.projection.project([d.value for d in deliveries])
        for name, count in asdict(folded).items():
            self.totals[name] += count
        return []

    def batch_handled(self, size: int, dead_lettered: int) -> None:
        log.info("batch of %d transfer event(s) projected; dead-lettered %d", size, dead_lettered)
