"""The one error that means "lost a race": another writer stored the stream's next version.

Plain Python so that every layer may name it: the event store raises it from the database's
unique key, the repository lets it through, and the command handlers retry on it.
"""


class ConcurrencyError(Exception):
    def __init__(self, aggregate_id: str, version: int) -> None:
        super().__init__(f"Version {version} of stream {aggregate_id} already exists")
        self.aggregate_id = aggregate_id
        self.version = version
