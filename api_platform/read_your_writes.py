"""`?min_version=N&wait=S` on a read: wait until the read model shows version N.

The wait polls the read model and closes the request's database connection between polls, so
a waiting request holds no connection (MySQL's max_connections stays for the others); it does
hold its worker thread, so the web server runs threaded workers (gunicorn gthread) where
clients wait. When the wait runs out: 503 `projection_behind`, Retry-After: 1, and the
version currently visible.

Threads are what others need, so waits are rationed twice (a read that needs no wait, because
the version is already there, takes neither):
- per client, across all processes: at most READ_WAIT_MAX_CONCURRENT waits at once, each a
  slot in the shared cache taken by an atomic `add` that expires on its own shortly after the
  longest wait (a process killed mid-wait frees its slot by then); beyond, 429 `too_many_waits`;
- per process: at most READ_WAIT_MAX_THREADS waiting threads (default: half the process's
  threads), so however many clients wait, the other half serve the reads and commands that do
  not; beyond, 503 `waiting_threads_busy`. Both say Retry-After: 1.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from math import ceil
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from api_platform.schema import error
from api_platform.throttling import shared_key

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
# A slot outlives the longest wait by this much (a poll's read may take a while); a process
# that dies holding one frees it after this long.
SLOT_MARGIN_SECONDS = 10
BEHIND = {
    429: error(
        "Too many requests from this client (throttled), or it already holds "
        "READ_WAIT_MAX_CONCURRENT waits (too_many_waits); retry after Retry-After s"
    ),
    503: error(
        "min_version not reached within `wait` (projection_behind), or every thread this "
        "server lets wait is waiting (waiting_threads_busy); retry after Retry-After s"
    ),
}


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


class TooManyWaits(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "too_many_waits"

    def __init__(self, most: int) -> None:
        super().__init__(
            f"This client already holds {most} waiting reads (min_version); retry when one "
            "has answered.",
            "too_many_waits",
        )
        self.wait = 1


class WaitingThreadsBusy(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "waiting_threads_busy"

    def __init__(self) -> None:
        super().__init__(
            "Every thread this server lets wait is waiting; retry, or read without min_version.",
            "waiting_threads_busy",
        )
        self.wait = 1


# The threads of this process (gunicorn.conf.py's post_worker_init says how many gunicorn gave
# it; without gunicorn, WEB_THREADS), and how many of them wait now.
_threads: int | None = None
_waiting = 0
_waiting_lock = threading.Lock()


def serve_threads(count: int) -> None:
    """This process serves requests on `count` threads (gunicorn's --threads)."""
    global _threads
    _threads = count


def max_waiting_threads() -> int:
    if settings.READ_WAIT_MAX_THREADS is not None:
        return settings.READ_WAIT_MAX_THREADS
    return max(1, (_threads or settings.WEB_THREADS) // 2)


@contextmanager
def waiting_thread() -> Iterator[None]:
    global _waiting
    with _waiting_lock:
        if _waiting >= max_waiting_threads():
            raise WaitingThreadsBusy()
        _waiting += 1
    try:
        yield
    finally:
        with _waiting_lock:
            _waiting -= 1


@contextmanager
def client_slot(request: Request, seconds: float) -> Iterator[None]:
    """One of the client's READ_WAIT_MAX_CONCURRENT slots for a wait of `seconds`."""
    user = getattr(request, "user", None)
    ident = f"user-{user.pk}" if user and user.is_authenticated else request.META["REMOTE_ADDR"]
    cache = caches["throttle"]
    most = settings.READ_WAIT_MAX_CONCURRENT
    timeout = ceil(seconds) + SLOT_MARGIN_SECONDS
    for slot in range(most):
        key = shared_key(f"readwait:{ident}:{slot}")
        if cache.add(key, 1, timeout=timeout):  # atomic: one request gets a free slot
            break
    else:
        raise TooManyWaits(most)
    try:
        yield
    finally:
        cache.delete(key)


class WaitQuery(serializers.Serializer):
    min_version = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    # Seconds as plain digits: FloatField would take "1e0", "inf", "nan" and "1_0" too.
    wait = serializers.RegexField(
        r"\A[0-9]{1,6}(?:\.[0-9]{1,6})?\Z",
        required=False,
        error_messages={"invalid": "A number of seconds in plain digits, such as 2 or 0.5."},
    )

    def validate_wait(self, text: str) -> float:
        value = float(text)
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
    seconds = min(wait, settings.READ_WAIT_MAX_SECONDS)
    return wait_for(request, read, version_of, wanted, seconds, found)


def wait_for(
    request: Request,
    read: Callable[[], T | None],
    version_of: Callable[[T], int],
    wanted: int,
    seconds: float,
    found: T | None = None,
) -> T:
    """Polls `read()` until it shows version `wanted`; ProjectionBehind after `seconds`.
    A wait (not a read that finds the version there) takes one of the client's slots and
    one of the process's waiting threads, or is refused."""
    if found is not None and version_of(found) >= wanted:
        return found
    if seconds <= 0:
        raise ProjectionBehind(wanted, version_of(found) if found is not None else 0)
    with client_slot(request, seconds), waiting_thread():
        return _poll(read, version_of, wanted, time.monotonic() + seconds, found)


def _poll(
    read: Callable[[], T | None],
    version_of: Callable[[T], int],
    wanted: int,
    deadline: float,
    found: T | None,
) -> T:
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
