"""Settings of how the processes run: the read side's batch sizes, probes and metrics
(part of the settings package: techbank/settings/__init__.py).
"""

from .environment import env

# --- Read side (consume_events, replay_events) ---------------------------------------------
# Most messages one consume_events batch projects in one MySQL transaction.
CONSUMER_BATCH_SIZE = env.int("CONSUMER_BATCH_SIZE", default=500)
# Rows each worker remembers, so that a batch reads MySQL only for accounts new to it.
PROJECTOR_REMEMBERED_ROWS = env.int("PROJECTOR_REMEMBERED_ROWS", default=100_000)
# Events replay_events reads per batch, and how many it folds between two writes of rows.
REPLAY_BATCH_SIZE = env.int("REPLAY_BATCH_SIZE", default=2000)
REPLAY_WRITE_EVERY = env.int("REPLAY_WRITE_EVERY", default=20_000)

# --- Health, readiness and metrics (operations/) ---------------------------------------------
# Each readiness check's deadline: /readyz answers within it even when a server hangs.
READINESS_TIMEOUT_SECONDS = env.float("READINESS_TIMEOUT_SECONDS", default=2.0)
# A readiness result is reused this long by the process (a flood of /readyz: one check round
# per window); callers arriving during a round wait for it.
READINESS_REUSE_SECONDS = env.float("READINESS_REUSE_SECONDS", default=1.0)
# Empty: /metrics is open (an internal network); set, it needs `Authorization: Bearer <token>`,
# and /readyz shows which check failed and why only to a caller that sends it.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# consume_events' own port for /healthz, /readyz and /metrics (0: any free port).
WORKER_HTTP_HOST = env.str("WORKER_HTTP_HOST", default="127.0.0.1")
WORKER_HTTP_PORT = env.int("WORKER_HTTP_PORT", default=8081)
# A worker with lag that has committed nothing for this long reports itself stuck (503).
WORKER_STUCK_SECONDS = env.float("WORKER_STUCK_SECONDS", default=60.0)

# --- Write side: Idempotency-Key, outbox ------------------------------------------------
# Idempotency-Key on commands: how long an answer is kept for repeats; how long a first
# request may run before a repeat takes it for dead (more than the web server's timeout);
# how long a repeat waits for a first request that still runs before answering 409.
IDEMPOTENCY_KEY_HOURS = env.float("IDEMPOTENCY_KEY_HOURS", default=24.0)
IDEMPOTENCY_LEASE_SECONDS = env.float("IDEMPOTENCY_LEASE_SECONDS", default=60.0)
IDEMPOTENCY_WAIT_SECONDS = env.float("IDEMPOTENCY_WAIT_SECONDS", default=3.0)
# Outbox markers of acknowledged events are deleted in one round trip once this many wait, or
# once the oldest has waited this long (well inside RELAY_GRACE_SECONDS).
OUTBOX_FORGET_BATCH = env.int("OUTBOX_FORGET_BATCH", default=500)
OUTBOX_FORGET_AFTER_SECONDS = env.float("OUTBOX_FORGET_AFTER_SECONDS", default=0.2)
