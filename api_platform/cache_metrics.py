"""Hit and miss counts of a cache's `get`, on django-prometheus's own counters.

django-prometheus wraps Django's stock backends; the throttle's cache is our LockedFileCache
(api_platform/file_cache.py), so its wrapper would drop the locking. This mixin counts on the
same metrics (`django_cache_get_total`, `django_cache_get_hits_total`,
`django_cache_get_misses_total`, label `backend`) and, unlike django-prometheus's `cached or
default`, returns a stored falsy value (a count of 0) as it is.
"""

from typing import Any

from django_prometheus.cache.metrics import (
    django_cache_get_total,
    django_cache_hits_total,
    django_cache_misses_total,
)

_MISSING = object()


class CountedGets:
    """Put first among the bases: `class C(CountedGets, SomeDjangoCache)`."""

    metrics_backend = "filebased"

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        django_cache_get_total.labels(backend=self.metrics_backend).inc()
        value = super().get(key, _MISSING, version)  # type: ignore[misc]  # the cache's own get
        if value is _MISSING:
            django_cache_misses_total.labels(backend=self.metrics_backend).inc()
            return default
        django_cache_hits_total.labels(backend=self.metrics_backend).inc()
        return value
