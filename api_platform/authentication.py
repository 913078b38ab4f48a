"""Token authentication (django-rest-knox: tokens stored as SHA-512 digests, expiring) that
remembers each token's client, permissions included, for a while.

Without it every API request costs three SQL queries before the view runs: the token with its
user, the user's permissions, the group's permissions. A warm process now answers those from
memory for AUTH_CACHE_SECONDS (default 5): that is the bound within which a token deleted, a
user deactivated or a role changed by another process stops working here. A change made in this
process (the admin, create_api_client) empties the cache at once, through the model signals.
AUTH_CACHE_SECONDS=0 turns the cache off.
"""

import threading
from typing import Any

from cachetools import TTLCache
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework import exceptions, status
from rest_framework.authentication import get_authorization_header
from rest_framework.request import Request

from .actors import BindsActor, actor_of

# Far more clients than a bank's API has; a full cache only evicts the least recently used.
MAX_CLIENTS = 10_000

_lock = threading.Lock()
_cache: TTLCache[str, tuple[Any, AuthToken]] | None = None


def _current_cache(seconds: float) -> TTLCache[str, tuple[Any, AuthToken]]:
    global _cache
    if _cache is None or _cache.ttl != seconds:  # a test may change the setting
        _cache = TTLCache(maxsize=MAX_CLIENTS, ttl=seconds)
    return _cache


def forget_clients(*_: Any, **__: Any) -> None:
    """Empties the cache: the next request of every client reads its token and rights again."""
    with _lock:
        if _cache is not None:
            _cache.clear()


# Query parameters that carry a credential. A URL ends up in access logs, proxies' logs and
# browser histories (RFC 6750 section 5.3, RFC 9700 section 4.3.2): such a request is refused
# before anything reads the credential, whichever scheme it was meant for.
CREDENTIAL_PARAMETERS = ("access_token", "refresh_token", "client_secret", "token")


class CredentialInQuery(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = (
        "Credentials are not accepted in the query string; send the token in the "
        "Authorization header."
    )
    default_code = "credential_in_query"


class CachedTokenAuthentication(BindsActor, TokenAuthentication):
    """Knox's TokenAuthentication (DRF's header `Token ...`, the same 401s), its answer kept in
    memory under the token's digest (the process holds no token it was not just sent).

    First of the API's authentications, it also refuses any credential in the query string.
    The client it authenticates is bound as the actor of the request (actors.py).
    """

    keyword = "Token"  # knox's AUTH_HEADER_PREFIX (techbank/settings/auth.py), as DRF's was

    def authenticate(self, request: Request) -> tuple[Any, AuthToken] | None:
        if any(name in request.query_params for name in CREDENTIAL_PARAMETERS):
            raise CredentialInQuery()
        return super().authenticate(request)

    def authenticate_credentials(self, key: bytes) -> tuple[Any, AuthToken]:
        seconds = _cache_seconds()
        if seconds <= 0:
            return super().authenticate_credentials(key)
        digest = hash_token(key.decode("utf-8", "replace"))
        hit = _remembered(digest, seconds)
        if hit is not None:
            return hit
        # Not under the lock: the queries must not make every other request wait. Knox
        # deletes an expired token and answers 401 here.
        user, token = super().authenticate_credentials(key)
        # Fills ModelBackend's permission caches on this user object, so that has_perm on a
        # later request is a set lookup, not two queries.
        user.get_all_permissions()
        # Loads the user's identity (or its absence) onto the cached object: naming the actor
        # of a warm request then costs no query.
        actor_of(user)
        with _lock:
            _current_cache(seconds)[digest] = (user, token)
        return user, token


class TokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI schema's `tokenAuth` security, as it was for DRF's tokens: the same header."""

    target_class = CachedTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=CachedTokenAuthentication.keyword
        )


def known_client(request: HttpRequest) -> tuple[Any, AuthToken] | None:
    """What CachedTokenAuthentication answers for the request's `Authorization` header when it
    can answer from memory; None when it would read the database, refuse, or leave the header
    to another scheme (the lean path, api_platform/lean_routes.py, then lets DRF answer)."""
    # As knox reads it (DRF's helper reads only META, which Django's request has too).
    parts = get_authorization_header(request).split()  # type: ignore[arg-type]
    if len(parts) != 2 or parts[0].lower() != CachedTokenAuthentication.keyword.lower().encode():
        return None
    seconds = _cache_seconds()
    if seconds <= 0:
        return None
    return _remembered(hash_token(parts[1].decode("utf-8", "replace")), seconds)


def _cache_seconds() -> float:
    return float(getattr(settings, "AUTH_CACHE_SECONDS", 5))


def _remembered(digest: str, seconds: float) -> tuple[Any, AuthToken] | None:
    with _lock:
        hit = _current_cache(seconds).get(digest)
    return hit if hit is not None and not _expired(hit[1]) else None


def _expired(token: AuthToken) -> bool:
    return token.expiry is not None and token.expiry < timezone.now()


# Any change to who may do what empties the cache of this process at once.
_User = get_user_model()
for _model in (AuthToken, _User, Group):
    post_save.connect(forget_clients, sender=_model, dispatch_uid=f"auth-cache-save-{_model}")
    post_delete.connect(forget_clients, sender=_model, dispatch_uid=f"auth-cache-del-{_model}")
for _through in (_User.groups.through, _User.user_permissions.through, Group.permissions.through):
    m2m_changed.connect(forget_clients, sender=_through, dispatch_uid=f"auth-cache-m2m-{_through}")
