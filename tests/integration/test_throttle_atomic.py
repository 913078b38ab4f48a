"""The README's promise, checked where it matters: processes racing for one client's budget
together get at most its limit, and exactly its limit when they ask for more; on every cache
the throttle supports (our file cache, a real redis-server).

Each process runs the throttle's own path (`refusal`, what every throttled request calls), all
of them released at once by a barrier, leases and all.
"""

import multiprocessing
import uuid
from collections.abc import Iterator
from typing import Any

import environ
import pytest
from django.conf import settings
from django.test import override_settings

from api_platform.throttling import refusal
from tests.harness.redis import PrivateRedis

PROCESSES = 6
CONTEXT = multiprocessing.get_context("fork")  # each child keeps the overridden settings


def spend(scope: str, ident: str, most: int, gate: Any, answers: Any) -> None:
    """Asks up to `most` times (stopping at the first refusal, after which every later request
    is refused as well), and reports how many were let through."""
    from django.core.cache import caches

    caches["throttle"].close()  # a connection of its own, not the parent's
    gate.wait()
    allowed = 0
    while allowed < most and refusal(scope, ident) is None:
        allowed += 1
    refused_after = sum(refusal(scope, ident) is not None for _ in range(3))
    answers.put((allowed, refused_after))


def race(limit: int, per_process: int) -> tuple[int, list[int]]:
    """PROCESSES processes spend one new client's `limit`/hour; (total allowed, refusals
    each saw after it stopped)."""
    ident = f"race-{uuid.uuid4().hex}"
    gate, answers = CONTEXT.Barrier(PROCESSES), CONTEXT.Queue()
    with override_settings(THROTTLE_RATES={"reads": f"{limit}/hour"}):
        children = [
            CONTEXT.Process(target=spend, args=("reads", ident, per_process, gate, answers))
            for _ in range(PROCESSES)
        ]
        for child in children:
            child.start()
        results = [answers.get(timeout=60) for _ in children]
        for child in children:
            child.join(30)
            assert child.exitcode == 0
    return sum(a for a, _ in results), [r for a, r in results if a < per_process]


@pytest.fixture(params=["file", "redis"])
def shared_cache(request, tmp_path) -> Iterator[str]:
    if request.param == "file":
        url = f"filecache://{tmp_path}/throttle"
        yield from _with_cache(url)
        return
    with PrivateRedis(tmp_path / "redis") as server:
        yield from _with_cache(server.url)


def _with_cache(url: str) -> Iterator[str]:
    # As the settings read THROTTLE_CACHE_URL (a filecache:// URL becomes our locked cache).
    cache = environ.Env.cache_url_config(url)
    if cache["BACKEND"].endswith("filebased.FileBasedCache"):
        cache["BACKEND"] = "api_platform.file_cache.LockedFileCache"
    with override_settings(CACHES={**settings.CACHES, "throttle": cache}):
        yield cache["BACKEND"]


@pytest.mark.parametrize("limit", [1, 50, 1000])
def test_racing_processes_get_exactly_the_limit_when_they_ask_for_more(shared_cache, limit):
    allowed, refusals = race(limit, per_process=limit)  # six times the limit asked for
    assert allowed == limit
    assert refusals and all(r == 3 for r in refusals)


def test_racing_processes_asking_less_than_the_limit_all_get_through(shared_cache):
    allowed, _ = race(limit=1000, per_process=100)
    assert allowed == PROCESSES * 100


def test_the_redis_cache_is_djangos_redis_backend(tmp_path):
    """THROTTLE_CACHE_URL=redis://... as the settings read it: Django's own Redis backend."""
    with PrivateRedis(tmp_path / "redis") as server:
        assert environ.Env.cache_url_config(server.url)["BACKEND"] == (
            "django.core.cache.backends.redis.RedisCache"
        )
