"""Gunicorn's settings (`gunicorn --config techbank/gunicorn_conf.py`): its own log lines, the
access line included, take the shape of everyone else's (LOG_FORMAT, LOG_LEVEL)."""

from pathlib import Path

import environ

from techbank.logging_config import logging_dict

env = environ.Env()
# The same `.env` the Django settings read: gunicorn's master reads this file before them.
environ.Env.read_env(Path(__file__).resolve().parent.parent / ".env")

logconfig_dict = logging_dict(
    env.str("LOG_FORMAT", default="plain"), env.str("LOG_LEVEL", default="INFO")
)
