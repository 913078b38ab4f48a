"""The headers of the dead-letter topic, each name spelled here once.

A dead letter keeps the original message's key, value and headers and gets ours after them:
why it was given up on, where it came from, the group that gave up, and when. A replay sends
the original headers back without ours, and counts the replays in a header of its own.
"""

from __future__ import annotations

import time

from confluent_kafka import Message

from kernel.kafka_messages import headers_of, position

from ..message_fields import Headers

# Why it was given up on. "error" on the wire (operators' scripts read it); `reason` in the code.
REASON = "error"
ORIGINAL_TOPIC = "original_topic"
ORIGINAL_PARTITION = "original_partition"
ORIGINAL_OFFSET = "original_offset"
CONSUMER_GROUP = "consumer_group"
DEAD_LETTERED_AT = "dead_lettered_at"  # seconds since the epoch, as text
DEAD_LETTER_HEADERS = frozenset(
    {REASON, ORIGINAL_TOPIC, ORIGINAL_PARTITION, ORIGINAL_OFFSET, CONSUMER_GROUP, DEAD_LETTERED_AT}
)

# Set by a replay: the dead letter it came from, and how often it has been replayed in all.
REPLAYED_FROM = "replayed_from_dead_letter_offset"
REPLAY_COUNT = "replay_count"

REASON_LIMIT = 1000  # characters of a reason kept in the header


def dead_letter_headers(message: Message, reason: str, consumer_group: str) -> Headers:
    """The message's own headers, then ours (a replayed message keeps its replay count)."""
    topic, partition, offset = position(message)
    return [
        *headers_of(message),
        (REASON, reason[:REASON_LIMIT].encode(errors="replace")),
        (ORIGINAL_TOPIC, topic.encode()),
        (ORIGINAL_PARTITION, str(partition).encode()),
        (ORIGINAL_OFFSET, str(offset).encode()),
        (CONSUMER_GROUP, consumer_group.encode()),
        (DEAD_LETTERED_AT, str(time.time()).encode()),
    ]


def replay_headers(headers: Headers, offset: int, replay_count: int) -> Headers:
    """The original headers of the dead letter at `offset`, and the replay's own."""
    kept = [
        (k, v)
        for k, v in headers
        if k not in DEAD_LETTER_HEADERS and k not in (REPLAYED_FROM, REPLAY_COUNT)
    ]
    return [
        *kept,
        (REPLAYED_FROM, str(offset).encode()),
        (REPLAY_COUNT, str(replay_count + 1).encode()),
    ]
