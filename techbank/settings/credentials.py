"""Who may do what: the database user of migrations, Kafka's client login, the events' keys.

Least privilege: the application connects to MySQL as DATABASE_URL's user (rows only), and
`manage.py migrate` as MIGRATION_DATABASE_URL's (DDL too); each Kafka client logs in with
KAFKA_SASL_* as the user whose ACLs allow what its process does (docker-compose.yml); every event
is signed with EVENT_SIGNING_KEY and checked by every consumer (apps/contract/signing.py).
"""

import hashlib
import hmac

from kernel import kafka_config

from .core import DATABASES, SECRET_KEY
from .environment import env

# --- The migrations' database user ----------------------------------------------------------
# `manage.py migrate` runs on the alias "migrations" (techbank/management/commands/migrate.py):
# the same database as DATABASE_URL, as a user that may CREATE, ALTER and DROP. Unset: the
# application's own URL (one user for both, as before).
_MIGRATION_URL = env.str("MIGRATION_DATABASE_URL", default="") or env.str(
    "DATABASE_URL", default="mysql://techbank:techbank@127.0.0.1:3306/techbank"
)
DATABASES["migrations"] = {
    **env.db_url_config(_MIGRATION_URL),
    "OPTIONS": dict(DATABASES["default"]["OPTIONS"]),
    "CONN_MAX_AGE": 0,
    # Tests build their database through "default"; this alias is then the same connection.
    "TEST": {"MIRROR": "default"},
}

# --- Kafka client login (every producer, consumer and admin client) -------------------------
KAFKA_SECURITY_PROTOCOL = env.str("KAFKA_SECURITY_PROTOCOL", default="PLAINTEXT")
KAFKA_SASL_MECHANISM = env.str("KAFKA_SASL_MECHANISM", default="SCRAM-SHA-512")
KAFKA_SASL_USERNAME = env.str("KAFKA_SASL_USERNAME", default="")
KAFKA_SASL_PASSWORD = env.str("KAFKA_SASL_PASSWORD", default="")
kafka_config.use_security(
    KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD
)

# --- Event signing (apps/contract/signing.py) -----------------------------------------------
# Writers sign with the current key; consumers accept it and the older ones listed (id:key,
# comma-separated). Unset, the key is derived from SECRET_KEY, which every process of one
# installation shares; set your own (32+ characters) to rotate it independently.
EVENT_SIGNING_KEY_ID = env.str("EVENT_SIGNING_KEY_ID", default="k1")
EVENT_SIGNING_KEY = (
    env.str("EVENT_SIGNING_KEY", default="")
    or hmac.new(SECRET_KEY.encode(), b"techbank event signing", hashlib.sha256).hexdigest()
)
EVENT_SIGNING_OLDER_KEYS = env.str("EVENT_SIGNING_OLDER_KEYS", default="")
