"""The worker's log line per projected event, so that one command can be followed from its HTTP
request (X-Request-ID) to the MySQL row: at DEBUG, as a line per event costs throughput."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from confluent_kafka import Message

from apps.messaging.message_fields import message_fields

from ..domain.event_message import EventMessage

log = logging.getLogger("apps.accounts_query.projection")


def log_projected(projected: Iterable[EventMessage], message_of: dict[int, Message]) -> None:
    """One line per event now committed to MySQL, for the events that came from Kafka (not
    those read from the event store to fill a gap)."""
    if not log.isEnabledFor(logging.DEBUG):
        return
    for event in projected:
        message = message_of.get(id(event))
        if message is None:
            continue
        log.debug(
            "event projected",
            extra={
                **message_fields(message),
                "account_id": str(event.aggregate_id),
                "event_id": event.event_id,
                "event_type": event.event_type,
                "version": event.version,
            },
        )
