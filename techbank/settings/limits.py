"""Settings that bound what one request or one client may take (part of the settings package)."""

from datetime import timedelta

from .environment import env

# --- Timeouts ------------------------------------------------------------------------------
# Below gunicorn's worker timeout (techbank/checks.py insists): a hung event store then ends
# the request with a JSON 503, not with a killed worker.
MONGODB_SOCKET_TIMEOUT_MS = env.int("MONGODB_SOCKET_TIMEOUT_MS", default=10000)
# Seconds a gunicorn worker may go without a sign of life before it is killed and replaced
# (scripts/run.sh passes it as --timeout).
WEB_TIMEOUT = env.int("WEB_TIMEOUT", default=30)
# Threads of each gunicorn worker process (gunicorn.conf.py: gthread workers).
WEB_THREADS = env.int("WEB_THREADS", default=4)

# --- Requests per API client (api_platform/throttling.py) -----------------------------------
# Per window ("N/s", "N/min", "N/hour", "N/day"); empty: no limit. One scope per kind of route
# (tests/api/test_every_route_throttled.py holds every route to having one); each is
# THROTTLE_<SCOPE>_RATE in the environment.
THROTTLE_RATES = {
    # the account commands
    "commands": env.str("THROTTLE_COMMANDS_RATE", default="6000/min") or None,
    # the account list and an account
    "reads": env.str("THROTTLE_READS_RATE", default="30000/min") or None,
    # an account's or a transfer's audit log
    "events": env.str("THROTTLE_EVENTS_RATE", default="3000/min") or None,
    # an account's state as of a version or an instant (folded from the store's events)
    "as_of": env.str("THROTTLE_AS_OF_RATE", default="3000/min") or None,
    # an account's statement lines
    "statement": env.str("THROTTLE_STATEMENT_RATE", default="6000/min") or None,
    # requesting, listing and reading transfers
    "transfers": env.str("THROTTLE_TRANSFERS_RATE", default="6000/min") or None,
    # users and API clients: their commands (administrators), reads and audit trails
    "users": env.str("THROTTLE_USERS_RATE", default="3000/min") or None,
    # setting a password (each one hashed with Argon2; a person's own needs the current one)
    "passwords": env.str("THROTTLE_PASSWORDS_RATE", default="30/min") or None,
    # the API root, the OpenAPI schema and its two renderings (per address when anonymous)
    "docs": env.str("THROTTLE_DOCS_RATE", default="600/min") or None,
    # /o/token/, /o/revoke_token/, /o/introspect/ (each checks a secret with PBKDF2): per
    # client id, and per address whatever the client id
    "token_client": env.str("THROTTLE_TOKEN_CLIENT_RATE", default="60/min") or None,
    "token_address": env.str("THROTTLE_TOKEN_ADDRESS_RATE", default="300/min") or None,
}
# Shared by every process of the machine (a limit is per client, not per process); the file
# cache in shared memory (a rename on disk costs milliseconds), or Redis for several machines.
# Django's file cache reads, then writes: ours makes add and incr atomic across processes
# (api_platform/file_cache.py). techbank/checks.py guards its folder and refuses caches whose
# add/incr are not atomic across processes.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": env.cache_url(
        "THROTTLE_CACHE_URL", default="filecache:///dev/shm/techbank-throttle"
    ),
}
if CACHES["throttle"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache":
    CACHES["throttle"]["BACKEND"] = "api_platform.file_cache.LockedFileCache"

# --- Read-your-writes waits (api_platform/read_your_writes.py; their lengths: core.py) -------
# Waits one client may hold at once, across all processes (429 too_many_waits beyond).
READ_WAIT_MAX_CONCURRENT = env.int("READ_WAIT_MAX_CONCURRENT", default=2)
# Threads of one process that may wait at once (503 waiting_threads_busy beyond); empty: half
# of the process's threads (gunicorn's --threads, else WEB_THREADS), so the other half always
# serve requests that do not wait.
READ_WAIT_MAX_THREADS = env.int("READ_WAIT_MAX_THREADS", default=None)

# --- Password logins on /admin/, /api-auth/ and /o/login/ (django-axes; API tokens never try one)
# axes first (a locked-out name is refused before any hash is checked); then people's passwords
# from the credential store (identity.Credential, Argon2). No backend checks the Django user's
# own password column: it stays unusable, so an API client or a row made outside the identity
# commands can never log in with a password. Permissions are ModelBackend's (groups = roles).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "apps.identity.infrastructure.backend.PersonPasswordBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("AXES_COOLOFF_MINUTES", default=15))
# One user name from one address: a guesser cannot lock the real user out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "api_platform.lockout.lockout_response"
