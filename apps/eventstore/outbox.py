"""The outbox: one pending-publication marker per event, until Kafka has the event.

A marker is written just before its event and deleted once the broker acknowledges the event,
so a process that dies anywhere in between leaves a marker behind, and the relay re-publishes
the event it names. Acknowledged markers are deleted in batches by a background thread: under
load one round of delivery reports holds one or two acknowledgements, and deleting each at once
would cost every command another round trip. A marker kept a little longer costs at worst a
duplicate from the relay, which consumers skip.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.collection import Collection

from .documents import PendingPublication
from .records import parse_event_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Marker:
    token: str
    aggregate_id: str
    version: int
    created_at: datetime


class Outbox:
    def __init__(self, forget_batch: int, forget_after_seconds: float) -> None:
        # Acknowledged markers are deleted once this many wait, or the oldest waited this long.
        self.forget_batch = forget_batch
        self.forget_after = forget_after_seconds
        self._acknowledged: list[str] = []
        self._first_acknowledged = 0.0
        self._lock = threading.Condition()
        self._forgetter_pid = 0

    @property
    def markers(self) -> Collection:
        return PendingPublication._get_collection()

    def mark(self, event_key: str) -> str:
        """Records that the event with this key is about to be stored; returns the marker's token.

        The token is random, so a marker whose append then fails blocks nobody.
        """
        return self.mark_all([event_key])[0]

    def mark_all(self, event_keys: list[str]) -> list[str]:
        """mark() for several events in one round trip; the tokens in the same order."""
        now = datetime.now(UTC)
        markers: list[dict[str, Any]] = [
            {"_id": uuid.uuid4().hex, "event_key": k, "created_at": now} for k in event_keys
        ]
        if len(markers) == 1:
            self.markers.insert_one(markers[0])
        else:
            self.markers.insert_many(markers)
        return [m["_id"] for m in markers]

    def drop(self, token: str) -> None:
        """Deletes a marker now: its event was never stored."""
        self.drop_all([token])

    def drop_all(self, tokens: list[str]) -> None:
        if len(tokens) == 1:
            self.markers.delete_one({"_id": tokens[0]})
        else:
            self.markers.delete_many({"_id": {"$in": tokens}})

    def acknowledge(self, token: str) -> None:
        """Kafka has the event: its marker will be deleted with the next batch."""
        self._ensure_forgetter()
        with self._lock:
            if not self._acknowledged:
                self._first_acknowledged = time.monotonic()
            self._acknowledged.append(token)
            self._lock.notify()

    def forget_acknowledged(self) -> int:
        """Deletes the markers of every acknowledged event now, in one round trip."""
        with self._lock:
            tokens, self._acknowledged = self._acknowledged, []
        if len(tokens) == 1:
            self.markers.delete_one({"_id": tokens[0]})
        elif tokens:
            # $in is not served by an index here, but only in-flight markers are in there.
            self.markers.delete_many({"_id": {"$in": tokens}})
        return len(tokens)

    def due(self, older_than: timedelta) -> list[Marker]:
        """Markers written more than `older_than` ago, each account's oldest version first;
        not those this process knows are acknowledged and only wait to be deleted."""
        cutoff = datetime.now(UTC) - older_than
        with self._lock:
            acknowledged = set(self._acknowledged)
        found = []
        for doc in self.markers.find({}):
            created = _aware(doc["created_at"])
            if created <= cutoff and doc["_id"] not in acknowledged:
                aggregate_id, version = parse_event_key(doc["event_key"])
                found.append(Marker(doc["_id"], aggregate_id, version, created))
        return sorted(found, key=lambda m: (m.aggregate_id, m.version))

    def backlog(self) -> tuple[int, float]:
        """How many markers wait, and the age in seconds of the oldest (0 when none)."""
        count, oldest = 0, None
        for doc in self.markers.find({}, {"created_at": 1}):
            count += 1
            created = _aware(doc["created_at"])
            oldest = created if oldest is None or created < oldest else oldest
        age = (datetime.now(UTC) - oldest).total_seconds() if oldest else 0.0
        return count, max(age, 0.0)

    def _ensure_forgetter(self) -> None:
        # Started lazily, and again after a fork: threads do not survive one.
        if self._forgetter_pid != os.getpid():
            with self._lock:
                if self._forgetter_pid != os.getpid():
                    self._forgetter_pid = os.getpid()
                    threading.Thread(
                        target=self._forget_when_due, daemon=True, name="outbox-forget"
                    ).start()

    def _forget_when_due(self) -> None:
        while True:
            with self._lock:
                while not self._due():
                    waited = time.monotonic() - self._first_acknowledged
                    timeout = self.forget_after - waited if self._acknowledged else None
                    self._lock.wait(timeout)
            try:
                self.forget_acknowledged()
            except Exception:  # the markers stay; the relay re-sends: at-least-once
                log.exception("could not delete acknowledged outbox markers")
                time.sleep(self.forget_after)

    def _due(self) -> bool:
        return bool(self._acknowledged) and (
            len(self._acknowledged) >= self.forget_batch
            or time.monotonic() - self._first_acknowledged >= self.forget_after
        )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
