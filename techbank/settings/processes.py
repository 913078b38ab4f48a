"""The consumer processes beside the worker: `run_transfers` (the transfers' process manager,
their deadlines and rows) and `project_users` (the users' projection and the actors' trail)."""

from .environment import env

# `run_transfers`: the process manager's consumer group, and the transfers projection's.
TRANSFERS_CONSUMER_GROUP = env.str("TRANSFERS_CONSUMER_GROUP", default="techbank-transfers")
TRANSFERS_PROJECTION_GROUP = env.str("TRANSFERS_PROJECTION_GROUP", default="techbank-transfer-rows")
# Transfers of one batch that `run_transfers` advances side by side.
TRANSFERS_THREADS = env.int("TRANSFERS_THREADS", default=32)
# A transfer not final this many seconds after its request is compensated (reason timed_out).
TRANSFER_TIMEOUT_SECONDS = env.int("TRANSFER_TIMEOUT_SECONDS", default=60)
# How often `run_transfers` fires the deadlines that are due on its partitions.
TRANSFER_DEADLINE_POLL_SECONDS = env.float("TRANSFER_DEADLINE_POLL_SECONDS", default=1.0)
# Tries of a transfer message that keeps failing before it is parked (dead-lettered, marked).
TRANSFER_MAX_ATTEMPTS = env.int("TRANSFER_MAX_ATTEMPTS", default=5)
# `run_transfers`' /healthz (0: any free port).
TRANSFERS_HEALTH_PORT = env.int("TRANSFERS_HEALTH_PORT", default=8002)
# `project_users`: the user projection's consumer group (the user-events topic), the actors'
# trail's (the account and transfer topics), tries of a failing message before it is parked,
# and its /healthz port (0: any free port).
USERS_CONSUMER_GROUP = env.str("USERS_CONSUMER_GROUP", default="techbank-users")
USERS_TRAIL_GROUP = env.str("USERS_TRAIL_GROUP", default="techbank-actor-trail")
USERS_MAX_ATTEMPTS = env.int("USERS_MAX_ATTEMPTS", default=5)
USERS_HEALTH_PORT = env.int("USERS_HEALTH_PORT", default=8003)
