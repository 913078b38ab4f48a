"""The `Idempotency-Key` header on POST endpoints (IETF httpapi Idempotency-Key draft).

The first request with a key runs as usual. A repeat with the same key and body gets the same
status, body and Location, marked `Idempotent-Replayed: true`, and stores nothing; with another
body it is a 422 `idempotency_key_reused`. A repeat that arrives while the first still runs
waits for its answer a few seconds, then gets a 409 `idempotency_key_in_progress`. Keys are per
client.

The key store (apps/eventstore/idempotency.py) keeps keys and answers as data only. What a
recovered answer looks like belongs to the endpoint: when the first request died after storing
its event, the store finds that event and the endpoint's `recover(event)` answers from it what
the first request would have answered (an account's 201, a transfer's 202, ...).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from kernel import request_context
from kernel.idempotency import Answered, Claimed, Conflict, IdempotencyKeys, Recorded
from kernel.slot import Slot

HEADER = "Idempotency-Key"
VALID_KEY = re.compile(r"[\x20-\x7e]{1,255}")  # 1-255 printable ASCII characters

# (status, body, headers): the answer as the endpoint gives it. A Location may be a path; a
# replay makes it absolute for the request that repeats.
Answer = tuple[int, Any, dict[str, str]]
# The endpoint's answer from the event its first request stored (the store's event type).
Recover = Callable[[Any], Answer]
Post = Callable[..., Response]

keys: Slot[IdempotencyKeys] = Slot("the API's idempotency keys")


class InvalidKey(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Idempotency-Key must be 1 to 255 printable ASCII characters."
    default_code = "invalid_idempotency_key"


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "This Idempotency-Key was used with another request."
    default_code = "idempotency_key_reused"


class KeyInProgress(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The first request with this Idempotency-Key is still running; retry."
    default_code = "idempotency_key_in_progress"


def idempotent(recover: Recover) -> Callable[[Post], Post]:
    """Makes a view's `post` honour Idempotency-Key; `recover` answers from the event a first
    request stored before its process died."""

    def decorate(post: Post) -> Post:
        @functools.wraps(post)
        def run(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
            raw = request.headers.get(HEADER)
            if raw is None:
                return post(view, request, *args, **kwargs)
            if not VALID_KEY.fullmatch(raw):
                raise InvalidKey()
            key = _digest(str(request.user.pk), raw)
            fingerprint = _digest(
                request.method or "", request.path_info.rstrip("/"), _canonical(request.data)
            )
            claim = _claim(key, fingerprint)
            if isinstance(claim, Answered):
                return _replayed(request, (claim.status, claim.body, claim.headers))
            if isinstance(claim, Recorded):
                return _replayed(request, recover(claim.event))
            return _first(view, request, post, key, claim, *args, **kwargs)

        return run

    return decorate


def _first(
    view: Any, request: Request, post: Post, key: str, claim: Claimed, *args: Any, **kwargs: Any
) -> Response:
    """Runs the first request with the key and writes its answer down for the repeats."""
    answered = False
    try:
        # The events the request stores carry the key: how a repeat recovers if we die.
        with request_context.bound(idempotency_key=key):
            try:
                response = post(view, request, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001  (answered like any other request)
                response = view.handle_exception(exc)
        if response.status_code < 500:
            headers = {"Location": response["Location"]} if "Location" in response else {}
            keys.get().answer(key, claim, response.status_code, response.data, headers)
            answered = True
        return response
    finally:
        if not answered:  # a 5xx, or worse: the next repeat finds out what was stored
            keys.get().fail(key, claim)


def _claim(key: str, fingerprint: str) -> Claimed | Answered | Recorded[Any]:
    store = keys.get()
    deadline = time.monotonic() + settings.IDEMPOTENCY_WAIT_SECONDS
    while True:
        outcome = store.claim(key, fingerprint)
        if not isinstance(outcome, Conflict):
            return outcome
        if outcome.reused:
            raise KeyReused()
        if time.monotonic() >= deadline:
            raise KeyInProgress()
        time.sleep(0.05)  # the first request is running: its answer is moments away


def _replayed(request: Request, answer: Answer) -> Response:
    code, body, headers = answer
    headers = {**headers, "Idempotent-Replayed": "true"}
    if "Location" in headers:
        # A stored answer's Location is absolute already (kept as is); a recovered one's is a
        # path.
        headers["Location"] = request.build_absolute_uri(headers["Location"])
    return Response(body, status=code, headers=headers)


def _canonical(body: Any) -> str:
    """The body as the fingerprint sees it: key order and spacing do not make it another."""
    return json.dumps(body, sort_keys=True, default=str, separators=(",", ":"))


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()
