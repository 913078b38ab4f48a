"""Per-client request limits: one fixed window per client and scope (THROTTLE_RATES' keys).

A DRF view opts in with `throttle_scope`; any other view asks `refusal(scope, ident)` itself
(api_platform/oauth_throttle.py). The rate is `settings.THROTTLE_RATES[scope]` (read per
request, so a changed setting applies at once; `None` means no limit). A refusal is DRF's
`Throttled`: 429, `{"code": "throttled", ...}` and `Retry-After`.

DRF's own throttles keep every request's timestamp (thousands at the rates used here) and
rewrite that list on each request; a window start and a count are all a limit needs.

Both live in the shared cache (THROTTLE_CACHE_URL) and change only by atomic operations: the
window's start by `add` (the first request of a window fixes it for every process; it expires
with the window), the count by `incr` (what each process takes is added, never written over),
so processes racing for the last requests of a window cannot both have them. Atomic on Redis
and on our file cache (api_platform/file_cache.py; Django's own reads, then writes).

A process does not go to the cache for every request: it takes a lease of several requests at
once (the count goes up by the lease) and spends it from memory. A lease is at most
1/LEASE_FRACTION of what is left of the window's budget, so near the limit leases are single
requests. When several processes race, the `incr` that passes the limit gets only what was
left below it: a client never gets more than its limit in a window, and when it asks for more,
it gets exactly its limit (less only what a process leased and then died with, at most that
fraction of the budget).
"""

import threading
import time
from dataclasses import dataclass
from math import ceil
from typing import Any

from cachetools import LRUCache
from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
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

    def allow_request(self, request: Request, view: Any) -> bool:
        scope = getattr(view, "throttle_scope", None)
        if not scope:
            return True
        user = request.user
        ident = f"user-{user.pk}" if user and user.is_authenticated else self.get_ident(request)
        self.wait_seconds = refusal(scope, ident)
        return self.wait_seconds is None

    def wait(self) -> float | None:
        return self.wait_seconds


def refusal(scope: str, ident: str) -> float | None:
    """None when `ident` may make one more request of `scope` now (it is counted), else the
    seconds until its window ends."""
    budget = _budget(scope, ident)
    if budget is None:
        return None
    now = time.time()
    if _spend(*budget, now):
        return None
    return _take(*budget, now)


def spend_lease(scope: str, ident: str) -> bool:
    """Counts one request of `ident` against what this process already leased for `scope`;
    False, counting nothing, when it holds no lease for now (then `refusal` decides)."""
    budget = _budget(scope, ident)
    return budget is None or _spend(*budget, time.time())


def _budget(scope: str, ident: str) -> tuple[str, int, int] | None:
    """(shared key, limit, window) of `ident` in `scope`; None when the scope is unlimited."""
    rate = settings.THROTTLE_RATES.get(scope)
    if not rate:
        return None
    limit, window = parse_rate(rate)
    return shared_key(f"throttle:{scope}:{ident}"), limit, window


def _spend(key: str, limit: int, window: int, now: float) -> bool:
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
    return False


def parse_rate(rate: str) -> tuple[int, int]:
    """ "100/min" -> (100, 60): requests, and the window in seconds (DRF's notation)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period[0]]


def _take(key: str, limit: int, window: int, now: float) -> float | None:
    """Takes this request, and maybe a few more, from the shared count."""
    cache = caches["throttle"]
    # The window's start: the first request's time, added by whichever process came first.
    start_key = f"{key}:start"
    started = cache.get(start_key)
    if started is None:
        cache.add(start_key, now, timeout=window)
        started = cache.get(start_key, now)
    # Normally 0; more when the start outlived its window (a cache's timeouts are rounded).
    late = max(0, int((now - started) // window))
    begins = started + late * window
    ends_in = begins + window - now
    count_key = f"{key}:{started!r}:{late}"
    timeout = ceil(ends_in) + 1
    count = cache.get(count_key)
    if count is None:
        cache.add(count_key, 0, timeout=timeout)
        count = 0
    if count >= limit:
        return ends_in
    taken = max(1, min(MAX_LEASE, (limit - count) // LEASE_FRACTION))
    try:
        total = cache.incr(count_key, taken)
    except ValueError:  # expired between the two calls: this request opens it again
        cache.add(count_key, 0, timeout=timeout)
        total = cache.incr(count_key, taken)
    # Of what was taken, only what fits below the limit is ours; past it, the count stays
    # above the limit until the window ends, which refuses what it should anyway.
    granted = min(taken, limit - (total - taken))
    if granted <= 0:
        return ends_in
    with _lock:
        _leases[key] = Lease(begins, window, limit, granted - 1)
    return None


def shared_key(name: str) -> str:
    """`name` in the shared cache, for this database: user ids are per database, and test
    runs and checkouts on one machine share the cache."""
    # (The handler's settings are the connections' own dicts, without a thread-local lookup
    # of the connection: that cost more than the rest of the key.)
    db = connections.settings[DEFAULT_DB_ALIAS]
    return f"{name}:{db['HOST']}:{db['PORT']}:{db['NAME']}"
