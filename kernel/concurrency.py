"""The one error that means "lost a race": another writer stored the stream's next version.

Plain Python so that every layer may name it: the event store raises it from the database's
unique key, the repository lets it through, and the command handlers retry on it.
"""


class ConcurrencyError(Exception):
    def __init__(self, aggregate_id: str, version: int) -> None:
        super().__init__(f"Version {version} of stream {aggregate_id} already exists")
        self.aggregate_id = aggregate_id
        self.version = version


class EventAlreadyStored(Exception):
    """An event with this event id is stored already, at another place in its stream.

    Events whose id is derived from what caused them (a transfer's step on an account) can be
    stored once ever: the store's unique key on event ids refuses a repeat, however stale the
    state that decided it. The caller takes it as "done before".
    """

    def __init__(self, event_id: str) -> None:
        super().__init__(f"Event {event_id} is stored already")
        self.event_id = event_id
