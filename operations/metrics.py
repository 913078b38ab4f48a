"""Every TechBank metric, defined once, and the small functions the code calls to record them.

Names follow Prometheus conventions: a `techbank_` prefix, `_total` for counters, base units
(`_seconds`). Labels only take values from bounded sets (command class names, outcome codes,
URL patterns, partitions), never ids or raw paths.

Under gunicorn with several workers, prometheus_client's multiprocess mode sums the workers'
values (see `gunicorn.conf.py` and `exposition.py`); gauges then need a `multiprocess_mode`.
The worker-side gauges are set by whichever process runs the relay or the consumer; a process
that runs neither reports 0, so aggregate them with `max`.
"""

from contextlib import suppress
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

# --- web: commands and HTTP -------------------------------------------------------------
COMMANDS = Counter(
    "techbank_commands",
    "Commands dispatched, by command class and outcome (ok, a domain error code, or error).",
    ["command", "outcome"],
)
COMMAND_SECONDS = Histogram(
    "techbank_command_duration_seconds",
    "Time to handle a command (load, decide, append), by command class.",
    ["command"],
)
# Queries apart from commands (CQRS): those a dispatcher serves, by query class.
QUERIES = Counter(
    "techbank_queries",
    "Queries dispatched, by query class and outcome (ok, a domain error code, or error).",
    ["query", "outcome"],
)
QUERY_SECONDS = Histogram(
    "techbank_query_duration_seconds",
    "Time to answer a query through its dispatcher, by query class.",
    ["query"],
)
HTTP_REQUESTS = Counter(
    "techbank_http_requests",
    "HTTP requests, by URL pattern (never the raw path), method and status code.",
    ["route", "method", "status"],
)
HTTP_SECONDS = Histogram(
    "techbank_http_request_duration_seconds",
    "Time to answer an HTTP request, by URL pattern and method.",
    ["route", "method"],
)
LEAN_RESPONSES = Counter(
    "techbank_http_lean_responses",
    "API reads answered by the lean path beside DRF (api_platform/lean_routes.py), by view.",
    ["view"],
)
APPEND_SECONDS = Histogram(
    "techbank_eventstore_append_duration_seconds",
    "Time to append one event to the event store (marker + event, before publishing).",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)

# --- worker: outbox, relay, projection, dead letters, replay -------------------------------
OUTBOX_PENDING = Gauge(
    "techbank_outbox_pending_markers",
    "Pending-publication markers waiting for Kafka's acknowledgement (seen by the relay).",
    multiprocess_mode="max",
)
OUTBOX_OLDEST_AGE = Gauge(
    "techbank_outbox_oldest_marker_age_seconds",
    "Age of the oldest pending-publication marker (0 when none waits).",
    multiprocess_mode="max",
)
RELAY_RESENT = Counter(
    "techbank_relay_resent_events",
    "Stored events the relay re-published because Kafka had not acknowledged them.",
)
PARTITION_LAG = Gauge(
    "techbank_projection_lag_messages",
    "Messages not yet projected, per partition this consumer owns: high watermark minus "
    "committed offset.",
    ["topic", "partition"],
    multiprocess_mode="max",
)
PROJECTED = Counter(
    "techbank_projection_events",
    "Events handled by the projection: applied, skipped (already had) or gap_filled "
    "(read from the event store to fill a gap).",
    ["result"],
)
DEAD_LETTERED = Counter(
    "techbank_dead_lettered_messages",
    "Poison messages sent to the dead-letter topic.",
)
REPLAY_DONE = Gauge(
    "techbank_replay_processed_events",
    "Events folded so far by the running replay.",
    multiprocess_mode="max",
)
REPLAY_TARGET = Gauge(
    "techbank_replay_target_events",
    "Events the running replay expects to fold in all.",
    multiprocess_mode="max",
)
REPLAY_RATIO = Gauge(
    "techbank_replay_progress_ratio",
    "Share of the replay done, from 0 to 1.",
    multiprocess_mode="max",
)

for _result in ("applied", "skipped", "gap_filled"):
    PROJECTED.labels(_result)  # present at 0 from the start, so rate() sees the first one


def observe_command(command: str, outcome: str, seconds: float) -> None:
    COMMANDS.labels(command, outcome).inc()
    COMMAND_SECONDS.labels(command).observe(seconds)


def observe_query(query: str, outcome: str, seconds: float) -> None:
    QUERIES.labels(query, outcome).inc()
    QUERY_SECONDS.labels(query).observe(seconds)


# Labelled children, looked up once per label set (each metric's label sets are bounded: URL
# patterns x methods x statuses, view names): prometheus_client's labels() costs more than the
# observation, on every request.
_children: dict[tuple[Any, ...], Any] = {}


def _child(metric: Any, *values: str) -> Any:
    key = (metric, *values)
    child = _children.get(key)
    if child is None:
        child = _children[key] = metric.labels(*values)
    return child


def observe_http(route: str, method: str, status: int, seconds: float) -> None:
    _child(HTTP_REQUESTS, route, method, str(status)).inc()
    _child(HTTP_SECONDS, route, method).observe(seconds)


def count_lean_response(view: str) -> None:
    _child(LEAN_RESPONSES, view).inc()


def observe_append(seconds: float) -> None:
    APPEND_SECONDS.observe(seconds)


def set_outbox_backlog(count: int, oldest_age_seconds: float) -> None:
    OUTBOX_PENDING.set(count)
    OUTBOX_OLDEST_AGE.set(max(0.0, oldest_age_seconds) if count else 0.0)


def count_relay_resend(n: int) -> None:
    if n:
        RELAY_RESENT.inc(n)


def set_partition_lag(topic: str, partition: int, lag: int) -> None:
    PARTITION_LAG.labels(topic, str(partition)).set(max(0, lag))


def forget_partition(topic: str, partition: int) -> None:
    """The partition went to another consumer: its lag is no longer ours to report."""
    with suppress(KeyError):
        PARTITION_LAG.remove(topic, str(partition))


def count_projection(applied: int, skipped: int, gap_filled: int) -> None:
    for result, n in (("applied", applied), ("skipped", skipped), ("gap_filled", gap_filled)):
        if n:
            PROJECTED.labels(result).inc(n)


def count_dead_lettered(n: int) -> None:
    if n:
        DEAD_LETTERED.inc(n)


def set_replay_progress(done: int, total: int) -> None:
    REPLAY_DONE.set(done)
    REPLAY_TARGET.set(total)
    REPLAY_RATIO.set(done / total if total else 1.0)
