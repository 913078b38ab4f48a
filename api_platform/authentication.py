"""Token authentication that remembers each token's client, permissions included, for a while.

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
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

# Far more clients than a bank's API has; a full cache only evicts the least recently used.
MAX_CLIENTS = 10_000

_lock = threading.Lock()
_cache: TTLCache[str, tuple[Any, Token]] | None = None


def _current_cache(seconds: float) -> TTLCache[str, tuple[Any, Token]]:
    global _cache
    if _cache is None or _cache.ttl != seconds:  # a test may change the setting
        _cache = TTLCache(maxsize=MAX_CLIENTS, ttl=seconds)
    return _cache


def forget_clients(*_: Any, **__: Any) -> None:
    """Empties the cache: the next request of every client reads its token and rights again."""
    with _lock:
        if _cache is not None:
            _cache.clear()


class CachedTokenAuthentication(TokenAuthentication):
    """DRF's TokenAuthentication (same header, same 401s), its answer kept in memory."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        seconds = float(getattr(settings, "AUTH_CACHE_SECONDS", 5))
        if seconds <= 0:
            return super().authenticate_credentials(key)
        with _lock:
            hit = _current_cache(seconds).get(key)
        if hit is not None:
            return hit
        # Not under the lock: the queries must not make every other request wait.
        user, token = super().authenticate_credentials(key)
        # Fills ModelBackend's permission caches on this user object, so that has_perm on a
        # later request is a set lookup, not two queries.
        user.get_all_permissions()
        with _lock:
            _current_cache(seconds)[key] = (user, token)
        return user, token


# Any change to who may do what empties the cache of this process at once.
_User = get_user_model()
for _model in (Token, _User, Group):
    post_save.connect(forget_clients, sender=_model, dispatch_uid=f"auth-cache-save-{_model}")
    post_delete.connect(forget_clients, sender=_model, dispatch_uid=f"auth-cache-del-{_model}")
for _through in (_User.groups.through, _User.user_permissions.through, Group.permissions.through):
    m2m_changed.connect(forget_clients, sender=_through, dispatch_uid=f"auth-cache-m2m-{_through}")
