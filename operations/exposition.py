"""Renders the metrics in the Prometheus text format, for one process or for all of gunicorn's.

With `PROMETHEUS_MULTIPROC_DIR` set (gunicorn.conf.py sets it for the web server), every
process writes its values to files there and a scrape sums them with `MultiProcessCollector`,
whichever worker answers. Without it (the consume_events worker, tests), the process's own
default registry is served.
"""

import hmac
import os

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from . import metrics  # noqa: F401  (defines the metrics before the first scrape)

CONTENT_TYPE = CONTENT_TYPE_LATEST


def registry() -> CollectorRegistry:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return REGISTRY
    collected = CollectorRegistry()
    MultiProcessCollector(collected, path=directory)
    return collected


def render() -> bytes:
    return generate_latest(registry())


def token_problem(authorization: str | None, token: str) -> tuple[str, str] | None:
    """None if the request may read the metrics, else the error (code, detail).

    No token configured: open, as is usual on an internal network.
    """
    if not token:
        return None
    if not authorization:
        return "not_authenticated", "Send Authorization: Bearer <METRICS_TOKEN>."
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), token.encode()
    ):
        return "authentication_failed", "Invalid metrics token."
    return None


def may_see_details(authorization: str | None, token: str) -> bool:
    """Only a caller with the configured METRICS_TOKEN sees what failed and why (no token
    configured: nobody, over HTTP; the log has it)."""
    return bool(token) and token_problem(authorization, token) is None
