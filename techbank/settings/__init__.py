"""TechBank settings: twelve-factor, every value from the environment (or `.env`).

One package, one `env` (environment.py reads `.env` first); each module holds one concern and
no two define the same name, so the order below does not matter:

- core.py: apps, middleware, databases, Kafka, the event store, logging;
- api.py: the REST API (DRF, the OpenAPI schema, body limits);
- auth.py: API tokens (knox), OAuth2 and the cache of both clients' rights;
- credentials.py: the migrations' database user, Kafka's client login, the events' signing keys;
- limits.py: timeouts, request limits per API client, login attempts;
- operations.py: batch sizes of the worker and replay, probes and metrics;
- processes.py: run_transfers' and project_users' groups, threads, deadlines, tries, ports;
- transport.py: HTTPS (the TLS proxy's header, redirects, Secure cookies, HSTS).

`.env.example` lists every variable with its default; `make services` writes `.env`.
"""

from .api import *  # noqa: F403
from .auth import *  # noqa: F403
from .core import *  # noqa: F403
from .credentials import *  # noqa: F403
from .limits import *  # noqa: F403
from .operations import *  # noqa: F403
from .processes import *  # noqa: F403
from .transport import *  # noqa: F403
