"""The one `env` of the settings package: `.env` is read here, once, before any value.

ENV_FILE (from the process environment only) names another file; empty, none is read (as in
the Docker image, which has no .env): the settings are then the environment and the defaults.
"""

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
_env_file = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if _env_file:
    environ.Env.read_env(_env_file)
