"""Produces stored events to Kafka; acknowledgements come back on a polling thread.

The producer is idempotent with acks=all: an acknowledged event is on every in-sync replica.
Every message is signed with the keyring handed in (apps/contract/signing.py): consumers apply
no message without a valid signature. Each event goes to its aggregate type's topic, from a
mapping its composition root hands in (the store knows no aggregate); a type not in it goes to
the default topic.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections.abc import Callable, Mapping

from confluent_kafka import KafkaError, KafkaException, Message, Producer

from apps.contract.signing import Keyring
from kernel.kafka_config import producer_config
from kernel.kafka_messages import produced

from . import wire
from .records import StoredEvent

log = logging.getLogger(__name__)


class KafkaPublisher:
    def __init__(
        self,
        bootstrap_servers: str,
        topic: str,
        keyring: Keyring,
        routes: Mapping[str, str] | None = None,
    ) -> None:
        self.topic = topic
        self.keyring = keyring
        self.routes = dict(routes or {})  # aggregate type -> its topic
        # Unacknowledged after a minute, a message is given up here; its marker stays for the relay.
        self._config = producer_config(bootstrap_servers, message_timeout_ms=60000, linger_ms=2)
        self._producer: Producer | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def _get_producer(self) -> Producer:
        # Created lazily and again after a fork: a producer's threads do not survive one.
        if self._producer is None or self._pid != os.getpid():
            with self._lock:
                if self._producer is None or self._pid != os.getpid():
                    self._producer = Producer(self._config)
                    self._pid = os.getpid()
                    threading.Thread(
                        target=self._poll_while_current,
                        args=(self._producer,),
                        daemon=True,
                        name="kafka-delivery",
                    ).start()
                    atexit.register(self.flush, 5.0)
        return self._producer

    def _poll_while_current(self, producer: Producer) -> None:
        while self._producer is producer:
            producer.poll(0.1)

    def close(self, timeout: float = 5.0) -> None:
        """Flushes, then lets the producer and its polling thread go."""
        self.flush(timeout)
        self._producer = None

    def topic_of(self, event: StoredEvent) -> str:
        return self.routes.get(event.aggregate_type, self.topic)

    def publish(self, event: StoredEvent, on_delivered: Callable[[], None]) -> None:
        def delivered(err: KafkaError | None, msg: Message) -> None:
            if err is not None:
                log.warning(
                    "event %s not acknowledged by Kafka (%s); the relay will retry", event.key, err
                )
                return
            try:
                on_delivered()
            except Exception:  # the marker stays, so the relay sends it again: at-least-once
                log.exception("could not record the acknowledgement of %s", event.key)

        key, value, headers = wire.outgoing(event, self.keyring)
        try:
            self._get_producer().produce(
                self.topic_of(event),
                key=key,
                value=value,
                headers=produced(headers),
                on_delivery=delivered,
            )
        except (BufferError, KafkaException) as exc:
            log.warning("event %s not handed to Kafka (%s); the relay will send it", event.key, exc)

    def flush(self, timeout: float = 30.0) -> int:
        """Waits for outstanding acknowledgements; returns how many are still missing."""
        if self._producer is None or self._pid != os.getpid():
            return 0
        return self._producer.flush(timeout)
