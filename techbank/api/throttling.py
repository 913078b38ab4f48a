"""Per-client request limits: one fixed window per client and scope (`commands`, `reads`).

A view opts in with `throttle_scope`; the rate is `settings.THROTTLE_RATES[scope]` (read per
request, so a changed setting applies at once; `None` means no limit). A refusal is DRF's
`Throttled`: 429, `{"code": "throttled", ...}` and `Retry-After`.

DRF's own throttles keep every request's timestamp (thousands at the rates used here) and
rewrite that list on each request; a window start and a count are all a limit needs.
"""

from math import ceil
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import connection
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


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
        started, count = self.cache.get(key) or (now, 0)
        if now - started >= window:
            started, count = now, 0
        if count >= limit:
            self.wait_seconds = started + window - now
            return False
        # Read and write are not atomic: racing workers may lose a count, never add one.
        self.cache.set(key, (started, count + 1), timeout=ceil(started + window - now))
        return True

    def cache_key(self, request: Request, scope: str) -> str:
        user = request.user
        ident = f"user-{user.pk}" if user and user.is_authenticated else self.get_ident(request)
        # User ids are per database; test runs and checkouts on one machine share the cache.
        db = connection.settings_dict
        return f"throttle:{db['HOST']}:{db['PORT']}:{db['NAME']}:{scope}:{ident}"

    def wait(self) -> float | None:
        return self.wait_seconds
