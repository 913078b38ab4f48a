"""System checks: the event store gives up before gunicorn does; the throttle cache is private,
atomic and shared."""

import environ
import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from techbank.checks import (
    mongo_timeout_below_web_timeout,
    throttle_cache_folder_is_private,
    throttle_cache_is_atomic_and_shared,
)


def test_the_defaults_pass():
    assert mongo_timeout_below_web_timeout() == []


@pytest.mark.parametrize("socket_ms", [30000, 45000])
def test_a_socket_timeout_at_or_above_the_web_timeout_is_an_error(socket_ms):
    with override_settings(MONGODB_SOCKET_TIMEOUT_MS=socket_ms, WEB_TIMEOUT=30):
        [error] = mongo_timeout_below_web_timeout()
        assert error.id == "techbank.E001"
        assert str(socket_ms) in error.msg
        with pytest.raises(SystemCheckError, match=r"techbank\.E001"):
            call_command("check")


def test_a_longer_web_timeout_allows_a_longer_socket_timeout():
    with override_settings(MONGODB_SOCKET_TIMEOUT_MS=45000, WEB_TIMEOUT=60):
        assert mongo_timeout_below_web_timeout() == []


LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def file_cache(folder):
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": {
            "BACKEND": "api_platform.file_cache.LockedFileCache",
            "LOCATION": str(folder),
        },
    }


def test_a_private_or_missing_throttle_cache_folder_passes(tmp_path):
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    for folder in (private, tmp_path / "missing"):
        with override_settings(CACHES=file_cache(folder)):
            assert throttle_cache_folder_is_private() == []


def test_a_throttle_cache_folder_others_may_write_is_an_error(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with override_settings(CACHES=file_cache(shared)):
        [error] = throttle_cache_folder_is_private()
        assert error.id == "techbank.E002"
        assert str(shared) in error.msg


@pytest.mark.parametrize(
    ("url", "errors"),
    [
        ("filecache:///dev/shm/x", []),
        ("redis://127.0.0.1:6379/1", []),
        ("locmemcache://", ["techbank.E003"]),
        ("dbcache://cache_table", ["techbank.E003"]),
    ],
)
def test_the_throttle_cache_must_be_atomic_and_shared(url, errors):
    cache = environ.Env.cache_url_config(url)
    if cache["BACKEND"].endswith("filebased.FileBasedCache"):  # as the settings swap it
        cache["BACKEND"] = "api_platform.file_cache.LockedFileCache"
    with override_settings(CACHES={**LOCAL, "throttle": cache}):
        assert [e.id for e in throttle_cache_is_atomic_and_shared()] == errors


def test_djangos_own_file_cache_is_refused():
    plain = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "/x"}
    with override_settings(CACHES={**LOCAL, "throttle": plain}):
        [error] = throttle_cache_is_atomic_and_shared()
        assert error.id == "techbank.E003"
