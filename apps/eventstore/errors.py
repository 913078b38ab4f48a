class ConcurrencyError(Exception):
    """Another writer stored this stream's next version first (the unique key said so)."""

    def __init__(self, aggregate_id: str, version: int) -> None:
        super().__init__(f"Version {version} of stream {aggregate_id} already exists")
        self.aggregate_id = aggregate_id
        self.version = version
