#!/usr/bin/env bash
# `make run`: the web server (gunicorn, port 8000) and one consume_events worker, in the
# foreground. Ctrl-C (or SIGTERM) stops both cleanly: gunicorn finishes its requests, the
# worker finishes its batch and leaves the consumer group.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PORT=${PORT:-8000}
WEB_WORKERS=${WEB_WORKERS:-3}

.venv/bin/gunicorn techbank.wsgi --bind "0.0.0.0:$PORT" --workers "$WEB_WORKERS" \
  --access-logfile - --graceful-timeout 10 &
web=$!
.venv/bin/python manage.py consume_events &
worker=$!

stop() {
  trap '' INT TERM
  echo "stopping web ($web) and worker ($worker)..."
  kill -TERM "$web" "$worker" 2>/dev/null || true
  wait "$web" "$worker" 2>/dev/null || true
  echo "stopped."
}
trap stop INT TERM
echo "TechBank: API http://localhost:$PORT/api/v1/  docs http://localhost:$PORT/api/docs/  admin http://localhost:$PORT/admin/"
echo "  probes and metrics: http://localhost:$PORT/{healthz,readyz,metrics}; the worker's on WORKER_HTTP_PORT (default 8081)"
# Whichever exits first takes the other down with it.
wait -n "$web" "$worker" || true
stop
