"""`replay_events`' identity part: Django's users, groups and role memberships, and the actors'
trail, rebuilt from the event store alone.

One pass over every stored event (in the order stored): each User stream is folded and written
over its rows whatever their version (a replay repairs, it does not defer to what is there);
every event of every aggregate is offered to the trail (a row already there is kept: its key
is the event id). Credentials are not facts: the credential store is left alone, so every
password, API token and OAuth2 secret works after a replay as before. A Django user is never
deleted; a row whose stream is gone from the store is left as it is.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from apps.contract.user_events import AGGREGATE_TYPE as USER
from apps.eventstore.interface import ApplicationRecorder
from apps.eventstore.records import StoredEvent

from . import actor_trail
from .event_codec import from_stored
from .projector import DjangoUserProjection


@dataclass
class UsersReplayed:
    events: int = 0
    users: int = 0
    seconds: float = 0.0


class UsersReplay:
    def __init__(
        self, store: ApplicationRecorder, projection: DjangoUserProjection, batch_size: int
    ) -> None:
        self.store = store
        self.projection = projection
        self.batch_size = batch_size

    def all(self, progress: Callable[[int], None] | None = None) -> UsersReplayed:
        result = UsersReplayed()
        started = time.monotonic()
        # The store's order, not `_id` order: a sorted read of a large store never starts on
        # FerretDB (bench/README.md, scale). Users are few: their streams wait here, whole.
        streams: dict[str, list[StoredEvent]] = {}
        for batch in self.store.scan(self.batch_size):
            actor_trail.record(map(actor_trail.from_store, batch))
            for event in batch:
                if event.aggregate_type == USER:
                    streams.setdefault(event.aggregate_id, []).append(event)
            result.events += len(batch)
            if progress is not None:
                progress(result.events)
        for stream in streams.values():
            self._project(sorted(stream, key=lambda e: e.version), result)
        result.seconds = time.monotonic() - started
        return result

    def _project(self, stream: list[StoredEvent], result: UsersReplayed) -> None:
        user_id = UUID(stream[0].aggregate_id)
        self.projection.apply(user_id, [from_stored(e) for e in stream], force=True)
        result.users += 1
