"""System checks on settings that only make sense together (`manage.py check`, migrate, run)."""

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def mongo_timeout_below_web_timeout(app_configs: Any = None, **_: Any) -> list[CheckMessage]:
    """A Mongo call must give up before gunicorn kills the worker waiting for it.

    Then the client gets a JSON 503 (api_platform/errors.py) instead of a dropped connection.
    """
    socket_ms = settings.MONGODB_SOCKET_TIMEOUT_MS
    web_ms = settings.WEB_TIMEOUT * 1000
    if socket_ms >= web_ms:
        return [
            Error(
                f"MONGODB_SOCKET_TIMEOUT_MS ({socket_ms}) must be below WEB_TIMEOUT "
                f"({settings.WEB_TIMEOUT} s = {web_ms} ms).",
                hint="Lower MONGODB_SOCKET_TIMEOUT_MS or raise WEB_TIMEOUT.",
                id="techbank.E001",
            )
        ]
    return []


@register()
def throttle_cache_folder_is_private(app_configs: Any = None, **_: Any) -> list[CheckMessage]:
    """The file cache unpickles what it reads: nobody else may be able to write its folder."""
    cache = settings.CACHES.get("throttle", {})
    if cache.get("BACKEND") != LOCKED_FILE_CACHE:
        return []
    folder = Path(cache["LOCATION"])
    try:
        info = folder.stat()
    except FileNotFoundError:
        return []  # the cache makes it, for its owner only (mode 0700)
    if info.st_uid == os.geteuid() and not info.st_mode & 0o022:
        return []
    return [
        Error(
            f"The throttle cache folder {folder} belongs to another user or others may write "
            "to it; its files would be trusted.",
            hint="Remove the folder, or set THROTTLE_CACHE_URL to a folder of your own.",
            id="techbank.E002",
        )
    ]


LOCKED_FILE_CACHE = "api_platform.file_cache.LockedFileCache"
# Caches whose add and incr are atomic across processes (and machines, for Redis): the
# throttle's promise and the read-your-writes slots rest on it.
ATOMIC_SHARED_CACHES = {LOCKED_FILE_CACHE, "django.core.cache.backends.redis.RedisCache"}


@register()
def throttle_cache_is_atomic_and_shared(app_configs: Any = None, **_: Any) -> list[CheckMessage]:
    """Django's own file cache reads, then writes; locmem is one process's; the database
    cache's incr reads, then writes: with any of them a client could pass its limit."""
    backend = settings.CACHES.get("throttle", {}).get("BACKEND", "")
    if backend in ATOMIC_SHARED_CACHES:
        return []
    return [
        Error(
            f"THROTTLE_CACHE_URL gives {backend}, whose add/incr are not atomic across "
            "processes: clients could pass their limits.",
            hint="Use filecache:///a/private/folder (one machine) or redis://host:port/db.",
            id="techbank.E003",
        )
    ]
