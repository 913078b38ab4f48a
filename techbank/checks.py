"""System checks on settings that only make sense together (`manage.py check`, migrate, run)."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def mongo_timeout_below_web_timeout(app_configs: Any = None, **_: Any) -> list[CheckMessage]:
    """A Mongo call must give up before gunicorn kills the worker waiting for it.

    Then the client gets a JSON 503 (techbank/api/errors.py) instead of a dropped connection.
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
