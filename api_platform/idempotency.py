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
import hmac
import json
import re
import time
from collections.abc import Callable, Iterable, Mapping
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


def idempotent(
    recover: Recover, secret_inputs: Iterable[str] = (), secret_outputs: Iterable[str] = ()
) -> Callable[[Post], Post]:
    """Makes a view's `post` (or patch, delete) honour Idempotency-Key; `recover` answers from
    the event a first request stored before its process died.

    Secrets never reach the key store: a body field in `secret_inputs` (a password) enters the
    fingerprint only as an HMAC under SECRET_KEY (a digest of a password alone could be guessed
    offline), and an answer field in `secret_outputs` (a token, a client secret) is stored, and
    so replayed, as null: the secret is shown by the first answer only.
    """
    hidden_inputs, hidden_outputs = frozenset(secret_inputs), frozenset(secret_outputs)

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
                request.method or "",
                request.path_info.rstrip("/"),
                _canonical(_sealed(request.data, hidden_inputs)),
            )
            claim = _claim(key, fingerprint)
            if isinstance(claim, Answered):
                return _replayed(request, (claim.status, claim.body, claim.headers))
            if isinstance(claim, Recorded):
                return _replayed(request, recover(claim.event))
            return _first(view, request, post, key, claim, hidden_outputs, *args, **kwargs)

        return run

    return decorate


def _sealed(body: Any, fields: frozenset[str]) -> Any:
    """The body with each secret field's value replaced by its HMAC under SECRET_KEY."""
    if not fields or not isinstance(body, Mapping):
        return body
    return {
        name: _seal(value) if name in fields and isinstance(value, str) else value
        for name, value in body.items()
    }


def _seal(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def _kept(body: Any, fields: frozenset[str]) -> Any:
    """The answer as the key store keeps it: without the secrets it showed."""
    if not fields or not isinstance(body, Mapping):
        return body
    return {name: None if name in fields else value for name, value in body.items()}


def _first(
    view: Any,
    request: Request,
    post: Post,
    key: str,
    claim: Claimed,
    secret_outputs: frozenset[str],
    *args: Any,
    **kwargs: Any,
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
            keys.get().answer(
                key, claim, response.status_code, _kept(response.data, secret_outputs), headers
            )
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
