#!/usr/bin/env bash
# `make run`: the web server (gunicorn on 127.0.0.1:8000), one consume_events worker, one
# run_transfers process manager and one project_users (the users' projection and the actors'
# trail), in the foreground.
#
# - The worker is supervised: when it dies (a non-zero status, or killed by a signal) it is
#   logged and started again after 1 s, then 2, 4 ... up to 30 s while it keeps dying; after
#   60 s of running the delay starts from 1 s again. The web server serves on meanwhile.
#   A worker that exits with status 0 was asked to stop (SIGTERM/SIGINT) and stays stopped.
# - If the web server dies, everything stops and this script exits non-zero. gunicorn exits 0
#   only when it was asked to stop (INT, TERM, QUIT): that stops everything too, with status 0.
# - Ctrl-C (or SIGTERM) stops both cleanly: gunicorn finishes its requests, the worker finishes
#   its batch and leaves the consumer group; nothing is restarted after a requested stop.
#   A supervised process still running STOP_GRACE_SECONDS (20) after it was told to stop (frozen,
#   or stuck on a dead server) is killed (-9), which every process is built to survive, so a stop
#   always ends.
#
# HOST (127.0.0.1), PORT (8000) and WEB_WORKERS (3) come from the environment; gunicorn's
# --timeout is the WEB_TIMEOUT setting (.env too), which the system checks compare with the
# event store's socket timeout. Each worker process runs WEB_THREADS threads (gthread: set in
# gunicorn.conf.py, which every gunicorn started here reads). RUN_DIR, when set, gets web.pid
# and worker.pid (the current one).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
WEB_WORKERS=${WEB_WORKERS:-3}
WEB_TIMEOUT=$(.venv/bin/python -c 'from techbank import settings; print(settings.WEB_TIMEOUT)')
# run_transfers' /healthz port: the setting (.env, the environment; 0 for any free port).
TRANSFERS_HEALTH_PORT=$(.venv/bin/python -c 'from techbank import settings; print(settings.TRANSFERS_HEALTH_PORT)')
# project_users' /healthz port, the same way.
USERS_HEALTH_PORT=$(.venv/bin/python -c 'from techbank import settings; print(settings.USERS_HEALTH_PORT)')
RUN_DIR=${RUN_DIR:-}
BACKOFF_MAX=30
STABLE_SECONDS=60
STOP_GRACE_SECONDS=${STOP_GRACE_SECONDS:-20}

log() { printf '%s run.sh: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }

remember() { # name, pid
  # Written aside, then renamed: a reader never sees a half-written file.
  if [[ -n $RUN_DIR ]]; then echo "$2" >"$RUN_DIR/$1.pid.new" && mv "$RUN_DIR/$1.pid.new" "$RUN_DIR/$1.pid"; fi
}

deadline() { # name, pid: kill -9 the process if it is still running after the grace period
  local waited=0
  while kill -0 "$2" 2>/dev/null; do
    if ((waited >= STOP_GRACE_SECONDS * 10)); then
      log "$1 (pid $2) did not stop within $STOP_GRACE_SECONDS s; killing it (-9)"
      kill -KILL "$2" 2>/dev/null || true
      return
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

supervise() { # name, command...: run it, and start it again whenever it dies
  local name=$1 worker="" sleeper="" watchdog="" stopping=0 delay=1 started status
  shift
  # TERM comes from run.sh's stop; INT from a Ctrl-C, which the worker receives as well. Both
  # may come: one deadline is enough.
  # shellcheck disable=SC2086 # the unset ones expand to nothing
  trap 'stopping=1; kill -TERM $worker $sleeper 2>/dev/null || true
    if [[ -n $worker && -z $watchdog ]]; then deadline "$name" "$worker" & watchdog=$!; fi' INT TERM
  while ((!stopping)); do
    started=$SECONDS
    "$@" &
    worker=$!
    remember "$name" "$worker"
    log "$name started (pid $worker)"
    status=0
    wait "$worker" || status=$?
    # A trapped TERM interrupts `wait`; the worker is still finishing its batch.
    while kill -0 "$worker" 2>/dev/null; do wait "$worker" || status=$?; done
    worker=""
    if ((stopping)); then break; fi
    if ((status == 0)); then
      log "$name exited cleanly (status 0): it was asked to stop; not restarting it"
      return
    fi
    if ((SECONDS - started >= STABLE_SECONDS)); then delay=1; fi
    log "$name died (status $status after $((SECONDS - started)) s); restarting in $delay s"
    sleep "$delay" &
    sleeper=$!
    wait "$sleeper" || true
    sleeper=""
    delay=$((delay * 2 > BACKOFF_MAX ? BACKOFF_MAX : delay * 2))
  done
  if [[ -n $watchdog ]]; then kill "$watchdog" 2>/dev/null || true; fi
  log "$name stopped"
}

requested=""
trap 'requested=yes' INT TERM
.venv/bin/gunicorn techbank.wsgi --bind "$HOST:$PORT" --workers "$WEB_WORKERS" \
  --timeout "$WEB_TIMEOUT" --graceful-timeout 10 --access-logfile - &
web=$!
remember web "$web"
supervise worker .venv/bin/python manage.py consume_events &
supervisor=$!
# The transfers' process manager (and deadlines, and the transfers' rows), supervised the same
# way: it exits non-zero when one of its threads ended, so it is started again.
supervise transfers .venv/bin/python manage.py run_transfers --http-port "$TRANSFERS_HEALTH_PORT" &
transfers=$!
# The users' projection and the actors' trail, supervised the same way.
supervise users .venv/bin/python manage.py project_users --http-port "$USERS_HEALTH_PORT" &
users=$!

log "TechBank: API http://$HOST:$PORT/api/v1/  docs http://$HOST:$PORT/api/docs/  admin http://$HOST:$PORT/admin/"
log "probes and metrics: http://$HOST:$PORT/{healthz,readyz,metrics}; the worker's on WORKER_HTTP_PORT (8081), run_transfers' on $TRANSFERS_HEALTH_PORT, project_users' on $USERS_HEALTH_PORT"
status=0
if [[ -z $requested ]]; then wait "$web" || status=$?; fi
trap '' INT TERM
# A Ctrl-C reaches gunicorn too; when it exits at the same moment, bash may return from `wait`
# with gunicorn's 0 before it runs the INT trap. Only a stop that was asked for exits 0.
if [[ -z $requested && $status == 0 ]]; then
  requested=yes
  log "web server stopped cleanly (status 0): it was asked to stop; stopping the rest"
fi
if [[ -z $requested ]]; then log "web server exited (status $status); stopping the worker"; fi
log "stopping web ($web) and worker..."
kill -TERM "$web" "$supervisor" "$transfers" "$users" 2>/dev/null || true
# gunicorn's own --graceful-timeout bounds its workers; this bounds a frozen master.
deadline web "$web" &
web_watchdog=$!
wait "$web" "$supervisor" "$transfers" "$users" 2>/dev/null || true
kill "$web_watchdog" 2>/dev/null || true
log "stopped."
if [[ -z $requested ]]; then exit 1; fi
