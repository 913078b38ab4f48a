"""Failures of the application layer that are not business refusals."""


class ConcurrencyExhausted(Exception):
    """Commands kept winning the race for this account for longer than the retries last."""

    code = "concurrency_conflict"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail
