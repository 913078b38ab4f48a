"""The process manager's Kafka consumer: its own group on the account-events topic.

Transfer events are keyed by the transfer id, so all of one transfer's events are in one
partition and one member of the group drives it; more members share the partitions. A
transfer is advanced to its end when its TransferRequested arrives. Offsets
are committed only after every transfer of a batch was advanced to its end, so a crash makes
the next member advance them again, which repeats no step (see process_manager.py).
"""

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from uuid import UUID

from confluent_kafka import Consumer, KafkaError, Message

from apps.contract import envelope
from apps.contract.transfer_events import TRANSFER_REQUESTED

from ..application.process_manager import ProcessManager

log = logging.getLogger(__name__)
# The manager drives a transfer to its end as soon as it is requested; the later events of its
# stream record the steps (and let a restart resume), so they need no reaction of their own.
STARTS = TRANSFER_REQUESTED.name.encode()


@dataclass(frozen=True)
class TransferConsumerSettings:
    bootstrap_servers: str
    group_id: str
    topic: str
    batch_size: int = 200
    poll_timeout: float = 0.5
    threads: int = 8


class TransferConsumer:
    def __init__(self, settings: TransferConsumerSettings, manager: ProcessManager) -> None:
        self.settings = settings
        self.manager = manager
        self.stop = threading.Event()
        self._pool = ThreadPoolExecutor(settings.threads, thread_name_prefix="transfer")

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
                started = time.monotonic()
                transfers = self._transfers_of(messages)
                if self._until_done(transfers):
                    consumer.commit(asynchronous=False)
                if transfers:
                    log.info(
                        "advanced %d transfer(s) to their end in %.3fs",
                        len(transfers),
                        time.monotonic() - started,
                    )
        finally:
            consumer.close()
            self._pool.shutdown()

    def _until_done(self, transfers: list[UUID]) -> bool:
        """True once every transfer is final; False if told to stop first (no commit).

        Transfers are independent, so a batch's run side by side (`threads`); two on one
        account take turns in the account's lock, or retry a lost append.
        """
        return all(self._pool.map(self._advance, transfers))

    def _advance(self, transfer_id: UUID) -> bool:
        while True:
            try:
                self.manager.advance(transfer_id)
                return True
            except Exception:  # a server down, contention: retry, never skip a transfer
                log.exception("could not advance transfer %s; retrying", transfer_id)
                if self.stop.wait(1.0):
                    return False

    @staticmethod
    def _transfers_of(messages: list[Message]) -> list[UUID]:
        found: dict[UUID, None] = {}
        for message in messages:
            if message.error():
                if message.error().code() != KafkaError._PARTITION_EOF:
                    log.warning("consumer error: %s", message.error())
                continue
            headers = dict(message.headers() or [])
            if headers.get(envelope.HEADER_EVENT_TYPE) == STARTS:
                found[UUID(message.key().decode())] = None
        return list(found)
