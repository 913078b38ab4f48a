"""The process manager's Kafka consumer: its own group on the account-events topic.

Transfer events are keyed by the transfer id, so all of one transfer's events are in one
partition and one member of the group drives it; more members share the partitions. Offsets
are committed only after every transfer of a batch was advanced to its end, so a crash makes
the next member advance them again, which repeats no step (see process_manager.py).
"""

import logging
import threading
from dataclasses import dataclass
from uuid import UUID

from confluent_kafka import Consumer, KafkaError, Message

from apps.contract import envelope
from apps.contract.transfer_events import EVENTS

from ..application.process_manager import ProcessManager

log = logging.getLogger(__name__)
TRANSFER_EVENT_TYPES = frozenset(name.encode() for name in EVENTS)


@dataclass(frozen=True)
class TransferConsumerSettings:
    bootstrap_servers: str
    group_id: str
    topic: str
    batch_size: int = 200
    poll_timeout: float = 0.5


class TransferConsumer:
    def __init__(self, settings: TransferConsumerSettings, manager: ProcessManager) -> None:
        self.settings = settings
        self.manager = manager
        self.stop = threading.Event()
        self.advanced = 0

    def run(self) -> None:
        consumer = Consumer(
            {
                "bootstrap.servers": self.settings.bootstrap_servers,
                "group.id": self.settings.group_id,
                "enable.auto.commit": False,
                "auto.offset.reset": "earliest",
                "log_level": 3,
            }
        )
        consumer.subscribe([self.settings.topic])
        try:
            while not self.stop.is_set():
                messages = consumer.consume(self.settings.batch_size, self.settings.poll_timeout)
                if not messages:
                    continue
                if self._until_done(self._transfers_of(messages)):
                    consumer.commit(asynchronous=False)
        finally:
            consumer.close()

    def _until_done(self, transfers: list[UUID]) -> bool:
        """True once every transfer is final; False if told to stop first (no commit)."""
        for transfer_id in transfers:
            while True:
                try:
                    self.manager.advance(transfer_id)
                    self.advanced += 1
                    break
                except Exception:  # a server down, contention: retry, never skip a transfer
                    log.exception("could not advance transfer %s; retrying", transfer_id)
                    if self.stop.wait(1.0):
                        return False
        return True

    @staticmethod
    def _transfers_of(messages: list[Message]) -> list[UUID]:
        found: dict[UUID, None] = {}
        for message in messages:
            if message.error():
                if message.error().code() != KafkaError._PARTITION_EOF:
                    log.warning("consumer error: %s", message.error())
                continue
            headers = dict(message.headers() or [])
            if headers.get(envelope.HEADER_EVENT_TYPE) in TRANSFER_EVENT_TYPES:
                found[UUID(message.key().decode())] = None
        return list(found)
