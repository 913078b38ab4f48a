"""gunicorn's settings for TechBank (read from the working directory by default).

Threaded workers: WEB_THREADS threads in each of the processes (see below for why).

Its own log lines, the access line included, take the shape of everyone else's (LOG_FORMAT,
LOG_LEVEL: operations/logging_config.py). And it turns on prometheus_client's multiprocess
mode, so that `/metrics` sums what every worker counted, whichever worker answers the scrape.
The directory must be set before any process imports prometheus_client (it picks its value
class at import), so it is set here, in the master, before a worker is forked; it is emptied
at start (values of an earlier run would be counted again) and, when made here, removed at
exit.
"""

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from operations.logging_config import logging_dict

# The settings' one `env`, which reads the same `.env` the Django settings read.
from techbank.settings.environment import env
from techbank.settings.limits import WEB_THREADS

# Access-line atoms built only for what the line shows (operations/gunicorn_logger.py).
logger_class = "operations.gunicorn_logger.AccessLogger"
logconfig_dict = logging_dict(
    env.str("LOG_FORMAT", default="plain"), env.str("LOG_LEVEL", default="INFO")
)

# Threaded workers (gthread), chosen by measurement (bench/README.md, "write_http"): a command
# waits on the event store for most of its time, and a read-your-writes read may wait seconds;
# a sync worker would sit idle through both. WEB_THREADS per process (techbank/settings/limits.py);
# the processes are scripts/run.sh's WEB_WORKERS (--workers).
worker_class = "gthread"
threads = WEB_THREADS

# Remembered in the environment: gunicorn reads this file again on SIGHUP.
_OWNED = "TECHBANK_OWNS_METRICS_DIR"
if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="techbank-metrics-")
    os.environ[_OWNED] = "1"
METRICS_DIR = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])


def on_starting(server: Any) -> None:
    METRICS_DIR.mkdir(parents=True, exist_ok=True)
    for stale in METRICS_DIR.glob("*.db"):
        stale.unlink()


def post_worker_init(worker: Any) -> None:
    # Loads the URLconf (and with it every view's imports) before the first request, which
    # would otherwise pay for it: a first /readyz must still answer within its deadline.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
    # Waiting reads may take at most half of this worker's threads (api_platform/
    # read_your_writes.py): the number is gunicorn's, --threads on the command line included.
    from api_platform import read_your_writes

    read_your_writes.serve_threads(worker.cfg.threads)


def child_exit(server: Any, worker: Any) -> None:
    # A dead worker's counters still count; its live gauges must go.
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid, str(METRICS_DIR))


def on_exit(server: Any) -> None:
    if os.environ.get(_OWNED):
        shutil.rmtree(METRICS_DIR, ignore_errors=True)
