"""The test process's view of a private MySQL: a Django database alias, added for one test."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import environ
from django.conf import settings
from django.db import connections
from django.db.utils import load_backend

from tests.processes import ROOT, child_env


def migrate(url: str) -> None:
    """The private database gets its tables and roles as `make migrate` makes them."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**child_env(), "DATABASE_URL": url},
        check=True,
        timeout=180,
    )


@contextmanager
def database_alias(url: str, alias: str = "faults") -> Iterator[str]:
    config = environ.Env.db_url_config(url)
    config["OPTIONS"] = dict(settings.DATABASES["default"].get("OPTIONS", {}))
    config["CONN_MAX_AGE"] = 0
    filled = connections.configure_settings(
        {"default": dict(settings.DATABASES["default"]), alias: config}
    )[alias]
    # Only the connection, not its settings: Django's test case then treats it as made on the
    # fly (allowed) and never tries to flush or create it as a test database.
    wrapper = load_backend(filled["ENGINE"]).DatabaseWrapper(filled, alias)
    setattr(connections._connections, alias, wrapper)
    try:
        yield alias
    finally:
        wrapper.close()
        delattr(connections._connections, alias)
