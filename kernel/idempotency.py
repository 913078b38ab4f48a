"""What an idempotency-key store answers when a request claims a key: the vocabulary shared by
the HTTP platform, which decides what to do with each outcome (api_platform/idempotency.py),
and the store that keeps the keys as data (apps/eventstore/idempotency.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

EventT = TypeVar("EventT")


@dataclass(frozen=True)
class Claimed:
    """This request runs the command; `token` proves it when the answer is written down."""

    token: str


@dataclass(frozen=True)
class Answered:
    status: int
    body: Any
    headers: dict[str, str]


@dataclass(frozen=True)
class Recorded(Generic[EventT]):
    """The first request died after storing `event` (the first it stored with the key)."""

    event: EventT


@dataclass(frozen=True)
class Conflict:
    """The key was used with another request (`reused`), or its first request still runs."""

    reused: bool


class IdempotencyKeys(Protocol):
    def claim(self, key: str, fingerprint: str) -> Claimed | Answered | Recorded | Conflict: ...

    def answer(self, key: str, claim: Claimed, status: int, body: Any, headers: dict) -> None: ...

    def fail(self, key: str, claim: Claimed) -> None: ...
