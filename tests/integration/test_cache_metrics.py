"""The throttle cache counts its gets on django-prometheus's counters, and still returns a
stored 0 (django-prometheus's own wrappers would answer the default for it)."""

from prometheus_client import REGISTRY

from api_platform.file_cache import LockedFileCache


def counts() -> tuple[float, float, float]:
    def value(name: str) -> float:
        return REGISTRY.get_sample_value(name, {"backend": "filebased"}) or 0.0

    return (
        value("django_cache_get_total"),
        value("django_cache_get_hits_total"),
        value("django_cache_get_misses_total"),
    )


def test_gets_are_counted_as_hits_and_misses_and_a_zero_is_kept(tmp_path):
    cache = LockedFileCache(str(tmp_path / "cache"), {})
    cache.set("count", 0)
    before = counts()
    assert cache.get("count", "default") == 0
    assert cache.get("absent", "default") == "default"
    assert cache.get("absent") is None
    after = counts()
    assert [a - b for a, b in zip(after, before, strict=True)] == [3, 1, 2]
