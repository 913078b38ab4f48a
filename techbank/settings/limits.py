"""Settings that bound what one request or one client may take (part of the settings package).
"""

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
# Per window ("N/s", "N/min", "N/hour", "N/day"); empty: no limit.
THROTTLE_RATES = {
    "commands": env.str("THROTTLE_COMMANDS_RATE", default="6000/min") or None,
    "reads": env.str("THROTTLE_READS_RATE", default="30000/min") or None,
}
# Files in shared memory (a rename on disk costs milliseconds), one set for all gunicorn workers
# of the machine: a limit is per client, not per process. techbank/checks.py guards the folder.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": env.cache_url(
        "THROTTLE_CACHE_URL", default="filecache:///dev/shm/techbank-throttle"
    ),
}

# --- Password logins on /admin/ and /api-auth/ (django-axes; API tokens never try one) ------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("AXES_COOLOFF_MINUTES", default=15))
# One user name from one address: a guesser cannot lock the real user out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "api_platform.lockout.lockout_response"
