"""Who caused an event: the authenticated caller of an API request, bound once DRF knows it.

Every authentication class of the API binds, on success, the caller's `actor` into the request
context (kernel/request_context.py), so every event the request stores and every log line it
writes names them; a request that may change something (any method but GET, HEAD, OPTIONS)
also gets a new `causation_id`: each such request runs one command, and its events name it.
The binding lasts until the request ends: RequestIdMiddleware's `bound` puts the context back.

It is bound in the authentication classes rather than in the views: every view of every
context (accounts, transfers, users) authenticates through them, whatever its base class.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.authentication import SessionScheme as DrfSessionScheme
from rest_framework.authentication import SessionAuthentication as DrfSessionAuthentication
from rest_framework.request import Request

from kernel import request_context

# The reverse one-to-one of the identity context's UserIdentity (apps/identity/models.py):
# named here, never imported (the platform imports no app).
IDENTITY = "identity"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def actor_of(user: Any) -> str:
    """The identity UUID of a user the identity context knows, else `user:<pk>`."""
    try:
        identity = getattr(user, IDENTITY, None)
    except ObjectDoesNotExist:  # a user with no identity row (made before the context)
        identity = None
    if identity is not None:
        return str(identity.id)
    return f"user:{user.pk}"


def bind_caller(request: Request, user: Any) -> None:
    fields = {"actor": actor_of(user)}
    if request.method not in SAFE_METHODS:
        fields["causation_id"] = request_context.new_causation_id()
    request_context.bind(**fields)


class BindsActor:
    """Mixed into an authentication class: a caller it authenticates is bound as the actor."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        # A mixin: the authentication class after it in the MRO has authenticate().
        found: tuple[Any, Any] | None = super().authenticate(request)  # type: ignore[misc]
        if found is not None:
            bind_caller(request, found[0])
        return found


class SessionAuthentication(BindsActor, DrfSessionAuthentication):
    """DRF's session authentication (the browsable API), binding the actor."""


class SessionScheme(DrfSessionScheme):
    """The OpenAPI schema's `cookieAuth`, as for DRF's own session authentication."""

    # A dotted path, as drf-spectacular's own (its attribute is a str).
    target_class = "api_platform.actors.SessionAuthentication"
