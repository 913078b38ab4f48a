"""The `Idempotency-Key` header on command endpoints (IETF httpapi Idempotency-Key draft).

The first request with a key runs as usual. A repeat with the same key and body gets the same
status and body, marked `Idempotent-Replayed: true`, and stores nothing; with another body it
is a 422 `idempotency_key_reused`. A repeat that arrives while the first still runs waits for
its answer a few seconds, then gets a 409 `idempotency_key_in_progress`. Keys are per client.
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

from apps.eventstore.idempotency import Answered, Claimed, Conflict
from techbank import request_context

from . import dependencies

HEADER = "Idempotency-Key"
VALID_KEY = re.compile(r"[\x20-\x7e]{1,255}")  # 1-255 printable ASCII characters


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


def idempotent(post: Callable[..., Response]) -> Callable[..., Response]:
    @functools.wraps(post)
    def run(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        raw = request.headers.get(HEADER)
        if raw is None:
            return post(view, request, *args, **kwargs)
        if not VALID_KEY.fullmatch(raw):
            raise InvalidKey()
        key = _digest(str(request.user.pk), raw)
        fingerprint = _digest(request.method or "", request.path_info.rstrip("/"), _body(request))
        claim = _claim(key, fingerprint)
        if isinstance(claim, Answered):
            return _replayed(request, claim)
        keys = dependencies.idempotency.get()
        answered = False
        try:
            with request_context.bound(idempotency_key=key):
                try:
                    response = post(view, request, *args, **kwargs)
                except Exception as exc:  # noqa: BLE001  (answered like any other request)
                    response = view.handle_exception(exc)
            if response.status_code < 500:
                headers = {"Location": response["Location"]} if "Location" in response else {}
                keys.answer(key, claim, response.status_code, response.data, headers)
                answered = True
            return response
        finally:
            if not answered:  # a 5xx, or worse: the next repeat finds out what was stored
                keys.fail(key, claim)

    return run


def _claim(key: str, fingerprint: str) -> Claimed | Answered:
    keys = dependencies.idempotency.get()
    deadline = time.monotonic() + settings.IDEMPOTENCY_WAIT_SECONDS
    while True:
        outcome = keys.claim(key, fingerprint)
        if isinstance(outcome, (Claimed, Answered)):
            return outcome
        assert isinstance(outcome, Conflict)
        if outcome.reused:
            raise KeyReused()
        if time.monotonic() >= deadline:
            raise KeyInProgress()
        time.sleep(0.05)  # the first request is running: its answer is moments away


def _replayed(request: Request, answer: Answered) -> Response:
    headers = {**answer.headers, "Idempotent-Replayed": "true"}
    if answer.status == status.HTTP_201_CREATED and "Location" not in headers:
        # Recovered from the stored event of a request that died before answering.
        path = settings.ACCOUNT_QUERY_PATH.format(id=answer.body["id"])
        headers["Location"] = request.build_absolute_uri(path)
    return Response(answer.body, status=answer.status, headers=headers)


def _body(request: Request) -> str:
    return json.dumps(request.data, sort_keys=True, default=str, separators=(",", ":"))


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()
