"""TechBank settings: twelve-factor, every value from the environment (or `.env`).

`.env.example` lists every variable with its default; `make services` writes `.env`.
"""

from pathlib import Path

import environ

from techbank.logging_config import logging_dict

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# Only a DEBUG run may fall back to a throwaway key; production must set its own.
SECRET_KEY = env.str("SECRET_KEY", default="") or (
    "insecure-dev-only-key" if DEBUG else env.str("SECRET_KEY")
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    # Swagger UI and ReDoc served from our own static files: the docs work offline.
    "drf_spectacular_sidecar",
    "apps.eventstore",
    "apps.accounts_command",
    "apps.accounts_query",
    "apps.transfers",
]

MIDDLEWARE = [
    # First, so that every response carries X-Request-ID and every log line the request id.
    "techbank.request_id.RequestIdMiddleware",
    # Outermost: whatever answers an /api/ request with an HTML error, it leaves as JSON.
    "techbank.api.json_errors.ApiJsonErrorsMiddleware",
    # Before anything reads the body or decodes with the request's charset.
    "techbank.api.body_guard.ApiBodyGuardMiddleware",
    # Outermost, so that it counts every answer (other middleware's included).
    "techbank.ops.middleware.RequestMetricsMiddleware",
    "techbank.ops.middleware.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves the admin's and the browsable API's static files under gunicorn too.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "techbank.api.middleware.ApiTrailingSlashMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "techbank.urls"
WSGI_APPLICATION = "techbank.wsgi.application"
ASGI_APPLICATION = "techbank.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "techbank" / "templates"],
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
DATABASES["default"].setdefault("OPTIONS", {}).update(
    {"charset": "utf8mb4", "init_command": "SET sql_mode='STRICT_TRANS_TABLES'"}
)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Event store (MongoDB protocol) --------------------------------------------------------
MONGODB_URL = env.str("MONGODB_URL", default="mongodb://127.0.0.1:27017/techbank")
MONGODB_TIMEOUT_MS = env.int("MONGODB_TIMEOUT_MS", default=5000)
# How many times a command without expected_version is retried after losing a race.
COMMAND_RETRIES = env.int("COMMAND_RETRIES", default=20)
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

# --- Kafka ---------------------------------------------------------------------------------
KAFKA_BOOTSTRAP_SERVERS = env.str("KAFKA_BOOTSTRAP_SERVERS", default="127.0.0.1:9092")
KAFKA_EVENTS_TOPIC = env.str("KAFKA_EVENTS_TOPIC", default="techbank.account-events")
KAFKA_EVENTS_PARTITIONS = env.int("KAFKA_EVENTS_PARTITIONS", default=6)
KAFKA_DEAD_LETTER_TOPIC = env.str(
    "KAFKA_DEAD_LETTER_TOPIC", default="techbank.account-events.dead-letter"
)
# The transfers' process manager (`run_transfers`): its own consumer group on the same topic.
TRANSFERS_CONSUMER_GROUP = env.str("TRANSFERS_CONSUMER_GROUP", default="techbank-transfers")
# Transfers of one batch that `run_transfers` advances side by side.
TRANSFERS_THREADS = env.int("TRANSFERS_THREADS", default=8)
# Read-your-writes: how long `?min_version=N` waits by default, and at most (`wait`).
READ_WAIT_DEFAULT_SECONDS = env.float("READ_WAIT_DEFAULT_SECONDS", default=5.0)
READ_WAIT_MAX_SECONDS = env.float("READ_WAIT_MAX_SECONDS", default=10.0)
KAFKA_CONSUMER_GROUP = env.str("KAFKA_CONSUMER_GROUP", default="techbank-accounts-query")
# Kafka evicts a consumer that does not poll for this long; consume_events keeps polling (its
# partitions paused) while MySQL or the event store is down, however long that lasts.
KAFKA_MAX_POLL_INTERVAL_MS = env.int("KAFKA_MAX_POLL_INTERVAL_MS", default=300_000)
# Publish each event right after it is stored (the relay catches up on anything missed).
EVENT_PUBLISHING = env.bool("EVENT_PUBLISHING", default=True)
RELAY_INTERVAL_SECONDS = env.float("RELAY_INTERVAL_SECONDS", default=5.0)
RELAY_GRACE_SECONDS = env.float("RELAY_GRACE_SECONDS", default=10.0)
# A marker this old whose event was never stored (its append failed) is dropped by the relay.
RELAY_ORPHAN_SECONDS = env.float("RELAY_ORPHAN_SECONDS", default=600.0)

# --- Read side (consume_events, replay_events) ---------------------------------------------
# Most messages one consume_events batch projects in one MySQL transaction.
CONSUMER_BATCH_SIZE = env.int("CONSUMER_BATCH_SIZE", default=500)
# Rows each worker remembers, so that a batch reads MySQL only for accounts new to it.
PROJECTOR_REMEMBERED_ROWS = env.int("PROJECTOR_REMEMBERED_ROWS", default=100_000)
# Events replay_events reads per batch, and how many it folds between two writes of rows.
REPLAY_BATCH_SIZE = env.int("REPLAY_BATCH_SIZE", default=2000)
REPLAY_WRITE_EVERY = env.int("REPLAY_WRITE_EVERY", default=20_000)

# --- Health, readiness and metrics (techbank/ops) ---------------------------------------------
# Each readiness check's deadline: /readyz answers within it even when a server hangs.
READINESS_TIMEOUT_SECONDS = env.float("READINESS_TIMEOUT_SECONDS", default=2.0)
# Empty: /metrics is open (an internal network); set, it needs `Authorization: Bearer <token>`.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# consume_events' own port for /healthz, /readyz and /metrics (0: any free port).
WORKER_HTTP_HOST = env.str("WORKER_HTTP_HOST", default="127.0.0.1")
WORKER_HTTP_PORT = env.int("WORKER_HTTP_PORT", default=8081)
# A worker with lag that has committed nothing for this long reports itself stuck (503).
WORKER_STUCK_SECONDS = env.float("WORKER_STUCK_SECONDS", default=60.0)

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

# LOG_FORMAT=json: one JSON object per line (techbank/logging_config.py); plain by default.
LOGGING = logging_dict(env.str("LOG_FORMAT", default="plain"), env.str("LOG_LEVEL", default="INFO"))

# --- API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: an anonymous call then gets 401 with WWW-Authenticate, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "techbank.api.parsers.DecimalJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "techbank.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TechBank API",
    "DESCRIPTION": "Bank accounts with CQRS and event sourcing: commands change accounts by "
    "storing events; queries read MySQL read models projected from those events.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "techbank.api.schema.forbid_unknown_fields",
    ],
    # Pinned copies from drf-spectacular-sidecar, not a CDN's "latest": no internet needed.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# The largest request body the API reads (bytes); a larger one is a 413 request_too_large.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=64 * 1024)
# Where the read side serves one account; the command API's Location header points here.
ACCOUNT_QUERY_PATH = "/api/v1/accounts/{id}/"
TRANSFER_QUERY_PATH = "/api/v1/transfers/{id}/"
