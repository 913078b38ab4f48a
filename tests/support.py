"""Helpers shared by the tests: polling instead of sleeping, and API shortcuts."""

import time
from collections.abc import Callable
from typing import Any, Literal, TypeVar

T = TypeVar("T")

# The event documents that are not the API clients' own (tests/harness/tokens.py registers
# each client through the identity commands, whose User events share the store).
NOT_USERS = {"aggregate_type": {"$ne": "User"}}


def signature(
    key: bytes | str | None, value: bytes | str | None
) -> list[tuple[str, str | bytes | None]]:
    """The signature header our writers put on a message (apps/contract/signing.py), made with
    this run's key: a test's hand-made message is then judged by its content, as ours are.
    Text is signed as the UTF-8 bytes the producer sends for it. Typed as produce() takes it."""
    from django.conf import settings

    from apps.contract.signing import HEADER_SIGNATURE, keyring

    def sent(part: bytes | str | None) -> bytes | None:
        return part.encode() if isinstance(part, str) else part

    return [(HEADER_SIGNATURE, keyring(settings).sign(sent(key), sent(value)))]


def wait_until(
    probe: Callable[[], T | Literal[False] | None],
    timeout: float = 30.0,
    interval: float = 0.05,
    what: str = "condition",
) -> T:
    """Polls `probe` until it returns something truthy (so neither None nor False, which the
    type says); fails the test after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def settled_totals(consumer: Any, **at_least: int) -> dict[str, int]:
    """The consumer's totals once they reach `at_least`.

    A row is visible in MySQL as soon as the projection's transaction commits, a moment before
    the consumer commits its offsets and counts the batch; so counts are polled, not read at once.
    """
    wait_until(
        lambda: all(consumer.totals[key] >= value for key, value in at_least.items()),
        what=f"consumer totals to reach {at_least}",
    )
    return dict(consumer.totals)


def open_account(
    client: Any,
    holder: str = "Ada Lovelace",
    balance: str = "100.00",
    account_type: str = "SAVINGS",
) -> str:
    response = client.post(
        "/api/v1/accounts/open/",
        {"holder": holder, "account_type": account_type, "opening_balance": balance},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def command(client: Any, account_id: str, name: str, **body: Any) -> Any:
    return client.post(f"/api/v1/accounts/{account_id}/{name}/", body, format="json")
