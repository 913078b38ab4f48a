"""The User aggregate's persistence: its own stream in the event store (aggregate type `User`),
recorded through the same recorder as every aggregate (outbox, append, publish), with the
request context's metadata (actor, correlation and causation ids) on each event.

Users are few and their streams short: a load reads the whole stream, no snapshot, no cache.
"""

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from apps.contract.user_events import AGGREGATE_TYPE
from apps.eventstore.interface import StreamReader
from apps.eventstore.records import StoredEvent
from kernel import request_context

from ..domain.events import UserEvent
from ..domain.user import Clock, User, utc_now
from .event_codec import from_stored, to_stored


def millisecond_now() -> datetime:
    # Milliseconds: what the event store keeps, so an event reads back exactly as written.
    at = utc_now()
    return at.replace(microsecond=at.microsecond // 1000 * 1000)


def user_events(store: StreamReader, user_id: UUID) -> list[UserEvent]:
    """The stream's events; none when it is not a User's stream (an account's id, say)."""
    stored = store.read_stream(str(user_id))
    if not stored or stored[0].aggregate_type != AGGREGATE_TYPE:
        return []
    return [from_stored(event) for event in stored]


class EventSourcedUserRepository:
    def __init__(
        self,
        store: StreamReader,
        record: Callable[[StoredEvent], None],
        metadata: Callable[[], dict[str, str]] = request_context.event_metadata,
        clock: Clock = millisecond_now,
    ) -> None:
        self.store = store
        self.record = record  # recorder.EventRecorder.record: outbox, append, publish
        self.metadata = metadata
        self.clock = clock

    def load(self, user_id: UUID) -> User:
        return User.rebuild(user_id, user_events(self.store, user_id), self.clock)

    def save(self, user: User) -> None:
        for event in user.pull_pending_events():
            self.record(to_stored(event, self.metadata()))
