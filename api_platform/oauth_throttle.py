"""The OAuth2 endpoints that check a client's secret, limited per client id and per address.

django-oauth-toolkit's views are plain Django views, outside DRF's throttling, and each call
checks the client's secret with Argon2 or PBKDF2 (tenths of a second of CPU, by design):
unlimited, a loop of wrong guesses keeps a worker busy. Each of these views first counts the
call against two budgets, `token_client` (the client id the call names, in its body or its
Basic credentials) and `token_address` (the caller's address, whatever client id it names: rotating
made-up ids does not help). Over either: 429 with Retry-After and the API's JSON error
(`throttled`), and no secret is checked.
"""

import base64
import binascii
import hashlib
from math import ceil
from typing import Any
from urllib.parse import unquote_plus

from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework.throttling import BaseThrottle

from .oauth2 import IntrospectTokenView, RevokeTokenView, TokenView
from .throttling import refusal


def client_id_of(request: HttpRequest) -> str:
    """The client id the call names: Basic credentials (RFC 6749 2.3.1), else the body's."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    kind, _, credentials = header.partition(" ")
    if kind.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return unquote_plus(decoded.partition(":")[0])
    return request.POST.get("client_id", "")


def address_of(request: HttpRequest) -> str:
    # DRF's notion of the caller's address (REMOTE_ADDR, or NUM_PROXIES' X-Forwarded-For).
    # get_ident reads only META, which a Django request has as DRF's Request does.
    return BaseThrottle().get_ident(request)  # type: ignore[arg-type]


def over_budget(request: HttpRequest) -> float | None:
    """Seconds to wait when the caller is over one of its budgets; None when it is not."""
    wait = refusal("token_address", f"addr-{address_of(request)}")
    if wait is not None:
        return wait
    # Hashed: any string may arrive here, and the cache key must stay short and safe.
    client = hashlib.sha256(client_id_of(request).encode()).hexdigest()[:32]
    return refusal("token_client", f"client-{client}")


def throttled(wait: float) -> JsonResponse:
    seconds = max(1, ceil(wait))
    response = JsonResponse(
        {
            "code": "throttled",
            "detail": f"Request was throttled. Expected available in {seconds} seconds.",
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


class ThrottledOAuthView:
    """Counts a POST against the caller's budgets before the provider's view (api_platform/
    oauth2.py, on the toolkit's) sees it.

    (`post`, not `dispatch`: the views are CSRF-exempt through their `dispatch`, which
    as_view() reads from the class; a credential in the query string is refused there first.)"""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = over_budget(request)
        if wait is not None:
            return throttled(wait)
        # A mixin: the toolkit's view after it in the MRO has post().
        return super().post(request, *args, **kwargs)  # type: ignore[misc]


class ThrottledTokenView(ThrottledOAuthView, TokenView):
    throttle_scopes = ("token_client", "token_address")


class ThrottledRevokeTokenView(ThrottledOAuthView, RevokeTokenView):
    throttle_scopes = ("token_client", "token_address")


class ThrottledIntrospectTokenView(ThrottledOAuthView, IntrospectTokenView):
    throttle_scopes = ("token_client", "token_address")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = over_budget(request)
        if wait is not None:
            return throttled(wait)
        return super().get(request, *args, **kwargs)
