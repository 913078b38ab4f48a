"""The project's core settings: apps, middleware, databases, Kafka, the event store."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from operations.logging_config import logging_dict

from .environment import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=False)
# Only a DEBUG run may fall back to a throwaway key; production must set its own.
SECRET_KEY = env.str("SECRET_KEY", default="") or (
    "insecure-dev-only-key" if DEBUG else env.str("SECRET_KEY")
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    # Django's admin with the operator console's site (lag, dead letters).
    "apps.accounts_query.console.apps.ConsoleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    # DRF's plain-text tokens: kept installed only so that the migration moving them into knox
    # (apps/accounts_command/migrations/0003_hash_api_tokens.py) can read and then empty them.
    "rest_framework.authtoken",
    # API tokens, stored as SHA-512 digests and expiring (API_TOKEN_TTL_DAYS).
    "knox",
    "oauth2_provider",
    "django_filters",
    "drf_spectacular",
    # Swagger UI and ReDoc served from our own static files: the docs work offline.
    "drf_spectacular_sidecar",
    "axes",
    "apps.eventstore",
    "apps.accounts_command",
    "apps.accounts_query",
    "apps.transfers",
    "apps.identity",
    "techbank.apps.TechBankConfig",
]

MIDDLEWARE = [
    # First, so that every response carries X-Request-ID and every log line the request id.
    "api_platform.request_id.RequestIdMiddleware",
    # Outermost: whatever answers an /api/ request with an HTML error, it leaves as JSON.
    "api_platform.json_errors.ApiJsonErrorsMiddleware",
    # Before anything reads the body or decodes with the request's charset.
    "api_platform.body_guard.ApiBodyGuardMiddleware",
    # Outermost, so that it counts every answer (other middleware's included).
    "operations.middleware.RequestMetricsMiddleware",
    "operations.middleware.ProbeMiddleware",
    # Answers the plain case of the hottest reads beside DRF; leaves the rest to what follows.
    "api_platform.lean_routes.LeanRoutesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves the admin's and the browsable API's static files under gunicorn too.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "api_platform.middleware.ApiTrailingSlashMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's MessageMiddleware, but not on /api/ (no API answer shows a message).
    "api_platform.middleware.MessagesOutsideApiMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "techbank.urls"
WSGI_APPLICATION = "techbank.wsgi.application"
ASGI_APPLICATION = "techbank.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "api_platform" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Read database (MySQL/MariaDB) ---------------------------------------------------------
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default="mysql://techbank:techbank@127.0.0.1:3306/techbank"
    )
}
# A MySQL that hangs (a stalled machine, a frozen process) fails a query after this many
# seconds instead of blocking forever: consume_events must get back to polling Kafka well
# within KAFKA_MAX_POLL_INTERVAL_MS, or the group evicts it.
DATABASE_TIMEOUT_SECONDS = env.int("DATABASE_TIMEOUT_SECONDS", default=30)
DATABASES["default"].setdefault("OPTIONS", {}).update(
    {
        "charset": "utf8mb4",
        "init_command": "SET sql_mode='STRICT_TRANS_TABLES'",
        "connect_timeout": DATABASE_TIMEOUT_SECONDS,
        "read_timeout": DATABASE_TIMEOUT_SECONDS,
        "write_timeout": DATABASE_TIMEOUT_SECONDS,
    }
)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
# django-prometheus's subclass of the same MySQL backend: queries, their duration, errors and new
# connections per alias on /metrics (django_db_*; README "Metrics"): ~5 µs per query, ~10 µs
# under gunicorn (multiprocess files), measured with N=2000 `SELECT 1`; through ours, which
# builds its cursor class once per connection instead of once per query.
if DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    DATABASES["default"]["ENGINE"] = "operations.mysql_backend"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Event store (MongoDB protocol) --------------------------------------------------------
MONGODB_URL = env.str("MONGODB_URL", default="mongodb://127.0.0.1:27017/techbank")
MONGODB_TIMEOUT_MS = env.int("MONGODB_TIMEOUT_MS", default=5000)
# A stream's range (an account's history page, a load after a snapshot) in one query (true),
# or one `_id` lookup per version (false); auto: one query unless the server is FerretDB, which
# on SQLite serves a range by reading the whole collection (apps/eventstore/store.py).
_range_reads = env.str("EVENT_STORE_RANGE_READS", default="auto").strip().lower()
if _range_reads not in ("auto", "true", "false"):
    raise ImproperlyConfigured(
        f"EVENT_STORE_RANGE_READS is auto, true or false, not {_range_reads!r}"
    )
EVENT_STORE_RANGE_READS = None if _range_reads == "auto" else _range_reads == "true"
# How many times a command without expected_version is retried after losing a race.
# 20 left 6 of 240 deposits refused (12 clients on one account, gunicorn -w 3 --threads 4):
# a loser facing two other processes loses each round more often than not.
COMMAND_RETRIES = env.int("COMMAND_RETRIES", default=50)
# Accounts whose state each process keeps after its last command on them (0: none), so a
# command needs no snapshot read; a stale entry costs one refused append and a reload (or,
# while entries lately turned out stale, every load from it reads forward: stale_cache.py).
AGGREGATE_CACHE_SIZE = env.int("AGGREGATE_CACHE_SIZE", default=10000)
# A snapshot is written at every Nth version of an account (1: after every command).
SNAPSHOT_EVERY = env.int("SNAPSHOT_EVERY", default=10)

# --- Kafka ---------------------------------------------------------------------------------
KAFKA_BOOTSTRAP_SERVERS = env.str("KAFKA_BOOTSTRAP_SERVERS", default="127.0.0.1:9092")
KAFKA_EVENTS_TOPIC = env.str("KAFKA_EVENTS_TOPIC", default="techbank.account-events")
KAFKA_EVENTS_PARTITIONS = env.int("KAFKA_EVENTS_PARTITIONS", default=6)
KAFKA_DEAD_LETTER_TOPIC = env.str(
    "KAFKA_DEAD_LETTER_TOPIC", default="techbank.account-events.dead-letter"
)
# Transfer events have a topic of their own (KAFKA_EVENTS_PARTITIONS partitions): the account
# read side never sees them, and the transfers' consumers read nothing else.
KAFKA_TRANSFER_EVENTS_TOPIC = env.str(
    "KAFKA_TRANSFER_EVENTS_TOPIC", default="techbank.transfer-events"
)
# User events (people and API clients) have a topic of their own too: only the identity
# context's projector (`project_users`) reads it.
KAFKA_USER_EVENTS_TOPIC = env.str("KAFKA_USER_EVENTS_TOPIC", default="techbank.user-events")
# Read-your-writes: how long `?min_version=N` waits by default, and at most (`wait`).
READ_WAIT_DEFAULT_SECONDS = env.float("READ_WAIT_DEFAULT_SECONDS", default=5.0)
READ_WAIT_MAX_SECONDS = env.float("READ_WAIT_MAX_SECONDS", default=10.0)
KAFKA_CONSUMER_GROUP = env.str("KAFKA_CONSUMER_GROUP", default="techbank-accounts-query")
# `manage.py dead_letters replay` refuses a message already replayed this many times.
DEAD_LETTER_MAX_REPLAYS = env.int("DEAD_LETTER_MAX_REPLAYS", default=3)
# Kafka evicts a consumer that does not poll for this long; consume_events keeps polling (its
# partitions paused) while MySQL or the event store is down, however long that lasts.
KAFKA_MAX_POLL_INTERVAL_MS = env.int("KAFKA_MAX_POLL_INTERVAL_MS", default=300_000)
# Publish each event right after it is stored (the relay catches up on anything missed).
EVENT_PUBLISHING = env.bool("EVENT_PUBLISHING", default=True)
RELAY_INTERVAL_SECONDS = env.float("RELAY_INTERVAL_SECONDS", default=5.0)
RELAY_GRACE_SECONDS = env.float("RELAY_GRACE_SECONDS", default=10.0)
# A marker this old whose event was never stored (its append failed) is dropped by the relay.
RELAY_ORPHAN_SECONDS = env.float("RELAY_ORPHAN_SECONDS", default=600.0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` puts the files whitenoise serves (tests collect into a temp folder).
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# LOG_FORMAT=json: one JSON object per line (operations/logging_config.py); plain by default.
LOGGING = logging_dict(env.str("LOG_FORMAT", default="plain"), env.str("LOG_LEVEL", default="INFO"))
LOGGING["loggers"]["axes.apps"] = {"level": "WARNING"}  # its banner on every manage.py call
