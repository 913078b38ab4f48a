"""`?min_version=N&wait=S` on a read: wait until the read model shows version N.

The wait polls the read model and closes the request's database connection between polls, so
a waiting request holds no connection (MySQL's max_connections stays for the others); it does
hold its worker thread, so the web server runs threaded workers (gunicorn gthread) where
clients wait. When the wait runs out: 503 `projection_behind`, Retry-After: 1, and the
version currently visible.
"""

import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import connection
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from api_platform.schema import error

T = TypeVar("T")
# The first polls come quickly (the projection is usually tens of ms behind), later ones less
# often: each poll opens a connection, so 50 waiters make at most 200 connects a second.
FIRST_POLL_SECONDS = 0.02
LAST_POLL_SECONDS = 0.25
PARAMETERS = [
    OpenApiParameter(
        "min_version", int, description="Wait until the read model reaches this version."
    ),
    OpenApiParameter(
        "wait", float, description="Seconds to wait for min_version (default 5, at most 10)."
    ),
]
BEHIND = {503: error("min_version not reached within `wait` (projection_behind)")}


class ProjectionBehind(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "projection_behind"

    def __init__(self, wanted: int, visible: int) -> None:
        super().__init__(
            f"The read model shows version {visible}, not yet {wanted}; retry.",
            "projection_behind",
        )
        self.extra = {"current_version": visible}
        self.wait = 1  # DRF's handler turns it into Retry-After: 1


class WaitQuery(serializers.Serializer):
    min_version = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    wait = serializers.FloatField(required=False, min_value=0)

    def validate_wait(self, value: float) -> float:
        # The documented range is 0 to READ_WAIT_MAX_SECONDS; a longer wait is refused, not
        # quietly cut short (and 2**64 is no number of seconds anyone means).
        if value > settings.READ_WAIT_MAX_SECONDS:
            raise serializers.ValidationError(
                f"Must be at most {settings.READ_WAIT_MAX_SECONDS:g} seconds."
            )
        return value


def read_at_least(
    request: Request, read: Callable[[], T | None], version_of: Callable[[T], int]
) -> T | None:
    """`read()`, once it shows `min_version` (when the request asks for one). A row not there
    yet is waited for too: the read after an open."""
    params = request.query_params
    if "min_version" not in params and "wait" not in params:
        return read()  # the common read: no serializer to build for nothing to validate
    query = WaitQuery(data=params)
    query.is_valid(raise_exception=True)
    wanted = query.validated_data.get("min_version")
    found = read()
    if wanted is None:
        return found
    wait = query.validated_data.get("wait", settings.READ_WAIT_DEFAULT_SECONDS)
    return wait_for(read, version_of, wanted, min(wait, settings.READ_WAIT_MAX_SECONDS), found)


def wait_for(
    read: Callable[[], T | None],
    version_of: Callable[[T], int],
    wanted: int,
    seconds: float,
    found: T | None = None,
) -> T:
    """Polls `read()` until it shows version `wanted`; ProjectionBehind after `seconds`."""
    deadline = time.monotonic() + seconds
    pause = FIRST_POLL_SECONDS
    while found is None or version_of(found) < wanted:
        if time.monotonic() >= deadline:
            raise ProjectionBehind(wanted, version_of(found) if found is not None else 0)
        # Give the connection back while we sleep: 50 waiting clients hold no connections.
        if not connection.in_atomic_block:
            connection.close()
        time.sleep(min(pause, max(deadline - time.monotonic(), 0)))
        pause = min(pause * 2, LAST_POLL_SECONDS)
        found = read()
    return found
