"""Per-client request limits: one fixed window per client and scope (`commands`, `reads`).

A view opts in with `throttle_scope`; the rate is `settings.THROTTLE_RATES[scope]` (read per
request, so a changed setting applies at once; `None` means no limit). A refusal is DRF's
`Throttled`: 429, `{"code": "throttled", ...}` and `Retry-After`.

DRF's own throttles keep every request's timestamp (thousands at the rates used here) and
rewrite that list on each request; a window start and a count are all a limit needs.

The count lives in the shared cache (THROTTLE_CACHE_URL), but a process does not go there for
every request: it takes a lease of several requests at once (the shared count goes up by the
lease) and spends it from memory. On the default file cache a visit costs ~0.3 ms of CPU and
~1 ms of wall time (write, rename), the largest single cost of a GET before leases. A lease is
at most 1/LEASE_FRACTION of what is left of the window's budget, so near the limit leases are
single requests and the count is exact; a client never gets more than its limit, and requests
leased but not spent by one process are at most that fraction of the budget.
"""

import threading
from dataclasses import dataclass
from math import ceil
from typing import Any

from cachetools import LRUCache
from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

# The most requests one visit to the shared cache leases.
MAX_LEASE = 64
# A lease is at most this fraction (1/16) of the requests left in the window.
LEASE_FRACTION = 16


@dataclass
class Lease:
    """Requests this process may still let through in the window that started at `started`."""

    started: float
    window: int
    limit: int
    left: int


# Far more clients than a bank's API has; a full table forgets the least recently used lease.
_leases: LRUCache[str, Lease] = LRUCache(maxsize=10_000)
_lock = threading.Lock()


def forget_leases(**_: Any) -> None:
    """Another cache or other rates (a test's override_settings): leases of the old are void."""
    with _lock:
        _leases.clear()


setting_changed.connect(forget_leases, dispatch_uid="throttle-forget-leases")


class ClientRateThrottle(SimpleRateThrottle):
    """At most N requests per window per authenticated client (per address if anonymous)."""

    def __init__(self) -> None:
        # SimpleRateThrottle reads its rates at import time; these are read per request.
        self.wait_seconds: float | None = None

    @property
    def cache(self) -> BaseCache:  # type: ignore[override]
        return caches["throttle"]

    def allow_request(self, request: Request, view: Any) -> bool:
        scope = getattr(view, "throttle_scope", None)
        rate = settings.THROTTLE_RATES.get(scope) if scope else None
        if not rate:
            return True
        limit, window = self.parse_rate(rate)
        key = self.cache_key(request, scope)
        now = self.timer()
        with _lock:
            lease = _leases.get(key)
            if (
                lease is not None
                and lease.left > 0
                and (lease.limit, lease.window) == (limit, window)
                and now - lease.started < window
            ):
                lease.left -= 1
                return True
        return self.lease(key, limit, window, now)

    def lease(self, key: str, limit: int, window: int, now: float) -> bool:
        """Takes this request, and maybe a few more, from the shared count."""
        started, count = self.cache.get(key) or (now, 0)
        if now - started >= window:
            started, count = now, 0
        if count >= limit:
            self.wait_seconds = started + window - now
            return False
        taken = max(1, min(MAX_LEASE, (limit - count) // LEASE_FRACTION))
        # Read and write are not atomic: racing processes may lose a count, never add one.
        self.cache.set(key, (started, count + taken), timeout=ceil(started + window - now))
        with _lock:
            _leases[key] = Lease(started, window, limit, taken - 1)
        return True

    def cache_key(self, request: Request, scope: str) -> str:
        user = request.user
        ident = f"user-{user.pk}" if user and user.is_authenticated else self.get_ident(request)
        # User ids are per database; test runs and checkouts on one machine share the cache.
        # (The handler's settings are the connections' own dicts, without a thread-local
        # lookup of the connection: that cost more than the rest of the key.)
        db = connections.settings[DEFAULT_DB_ALIAS]
        return f"throttle:{db['HOST']}:{db['PORT']}:{db['NAME']}:{scope}:{ident}"

    def wait(self) -> float | None:
        return self.wait_seconds
