"""The process manager's consumer (group TRANSFERS_CONSUMER_GROUP) on the transfer topic.

Each valid message only says "look at this transfer": the manager loads it from the event store
and takes the one step its stage calls for, whose event comes back here as the next message.
Transfers of a batch are independent, so they react side by side (`threads`); a transfer whose
reaction keeps failing is tried `max_attempts` times (consumer base), then parked: dead-lettered
with the reason and marked by the manager, so it never holds up its partition for longer. Its
deadline still fires, so it is tried again later, never dropped.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol
from uuid import UUID

from confluent_kafka import Message

from apps.messaging.consumer import BatchConsumer, ConsumerSettings, Delivery, Failures
from apps.messaging.outage import INFRASTRUCTURE

from ..domain.transfer_message import TransferMessage
from .transfer_messages import decoded

log = logging.getLogger(__name__)


class Manager(Protocol):
    """What this consumer and the deadline ticker need of application.ProcessManager."""

    def react(self, transfer_id: UUID, partition: int | None = None) -> object: ...

    def fire_due(self, partitions: set[int] | None) -> int: ...

    def park(self, transfer_id: UUID, reason: str) -> None: ...


class ManagerConsumer(BatchConsumer[TransferMessage]):
    def __init__(self, settings: ConsumerSettings, manager: Manager, threads: int = 8) -> None:
        super().__init__(settings)
        self.manager = manager
        self.totals["reacted"] = 0
        self._pool = ThreadPoolExecutor(max(1, threads), thread_name_prefix="transfer")

    def decode(self, message: Message) -> TransferMessage:
        return decoded(message)

    def process(self, deliveries: list[Delivery[TransferMessage]]) -> Failures[TransferMessage]:
        # One reaction per transfer per batch: it reads the transfer's latest state anyway.
        latest = {d.value.transfer_id: d for d in deliveries}
        outcomes = list(self._pool.map(self._react, latest.values()))
        # An outage is nobody's failure: the base waits it out and retries the lot (a repeated
        # reaction takes no step twice).
        for outcome in outcomes:
            if isinstance(outcome, INFRASTRUCTURE):
                raise outcome
        self.totals["reacted"] += sum(1 for outcome in outcomes if outcome is None)
        return [
            (delivery, f"{type(outcome).__name__}: {outcome}")
            for delivery, outcome in zip(latest.values(), outcomes, strict=True)
            if outcome is not None
        ]

    def _react(self, delivery: Delivery[TransferMessage]) -> Exception | None:
        try:
            self.manager.react(delivery.value.transfer_id, delivery.message.partition())
        except Exception as exc:  # noqa: BLE001  (sorted out by the caller)
            return exc
        return None

    def on_parked(self, message: Message, reason: str) -> None:
        # The key was checked against the aggregate id when the message was decoded.
        self.manager.park(UUID((message.key() or b"").decode()), reason)

    def batch_handled(self, size: int, dead_lettered: int) -> None:
        log.info("batch of %d transfer message(s): dead-lettered %d", size, dead_lettered)

    def run(self) -> None:
        try:
            super().run()
        finally:
            self._pool.shutdown()
