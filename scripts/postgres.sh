#!/usr/bin/env bash
# A private PostgreSQL 15 (Debian 12's) for benchmarks: its own cluster in a directory of yours,
# on a free TCP port of 127.0.0.1 and a unix socket in that directory, nothing shared.
#
#   scripts/postgres.sh start DIR   install PostgreSQL if missing, initdb DIR/data (once), start
#                                   it; prints the connection URL (also kept in DIR/url)
#   scripts/postgres.sh stop DIR    stop it (fast shutdown); the files stay until DIR is removed
#   scripts/postgres.sh url DIR     print the URL again
#
# As root, initdb and postgres refuse to run (no flag overrides that), so both run as the
# `postgres` user the Debian package creates, and DIR is handed to that user.
# The superuser `bench` has a random password (DIR/password); TCP and socket both ask for it.
#
# Tuning (the rest is PostgreSQL's default):
#   fsync=on, synchronous_commit=on, full_page_writes=on   every commit waits for its WAL on
#       disk, as FerretDB's SQLite backend does (journal_mode=WAL and SQLite's default
#       synchronous=FULL: the WAL is synced on every commit). Comparing the two stays fair.
#   max_connections=200   FerretDB's pool plus eventsourcing's pool plus psql, with room.
#   jit=off               JIT compiles a query past a cost threshold: seconds of compiling on a
#                         scan that takes milliseconds would be noise, not the database.
#   shared_buffers=128MB  the default, stated: the 2-core machine is shared with MariaDB,
#                         FerretDB and Kafka, and the benchmark's data fits many times over.
set -euo pipefail
umask 077

PGBIN=/usr/lib/postgresql/15/bin

log() { printf '%s\n' "$*" >&2; }

install_postgres() {
  [[ -x $PGBIN/initdb ]] && return
  local sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  log "installing Debian's postgresql (once; about 15 s plus apt-get update)"
  $sudo apt-get update -qq
  # policy-rc.d keeps Debian from starting its own `main` cluster on 5432 (as scripts/setup.sh
  # does for MariaDB); the cluster files are created, never started or used here.
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
  $sudo chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    postgresql >/dev/null || { $sudo rm -f /usr/sbin/policy-rc.d; exit 1; }
  $sudo rm -f /usr/sbin/policy-rc.d
  [[ -x $PGBIN/initdb ]] || { log "error: $PGBIN/initdb still missing after install"; exit 1; }
}

as_owner() { # command... — as `postgres` when we are root, else as ourselves
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_open() { # port
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 10000))
    port_open "$port" || { echo "$port"; return; }
  done
  log "error: no free port found in 20000-29999"
  exit 1
}

init_cluster() { # dir
  local dir=$1
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres: "$dir"
    runuser -u postgres -- test -w "$dir" ||
      { log "error: the postgres user cannot reach $dir (a parent directory is closed to it)"; exit 1; }
  fi
  [[ -f $dir/data/PG_VERSION ]] && return
  head -c 18 /dev/urandom | base64 | tr -d '/+=\n' >"$dir/password"
  chmod 600 "$dir/password"
  # initdb reads the password from a file the postgres user can read; the copy goes at once.
  install -m 600 "$dir/password" "$dir/password.initdb"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$dir/password.initdb"
  as_owner "$PGBIN/initdb" -D "$dir/data" -U bench --pwfile="$dir/password.initdb" \
    --auth-host=scram-sha-256 --auth-local=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { log "error: initdb failed; see $dir/initdb.log"; exit 1; }
  rm -f "$dir/password.initdb"
  cat >>"$dir/data/postgresql.conf" <<CONF

# scripts/postgres.sh (its header says why)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = on
synchronous_commit = on
full_page_writes = on
max_connections = 200
jit = off
shared_buffers = 128MB
CONF
}

start() { # dir
  local dir
  dir=$(mkdir -p "$1" && cd "$1" && pwd)
  install_postgres
  init_cluster "$dir"
  if as_owner "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    cat "$dir/url"
    return
  fi
  local port
  for _ in 1 2 3; do # another process may take the port between the probe and the bind
    port=$(free_port)
    if as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
      -o "-p $port" start >/dev/null; then
      local pw; pw=$(cat "$dir/password")
      printf 'postgresql://bench:%s@127.0.0.1:%s/postgres\n' "$pw" "$port" >"$dir/url"
      cat "$dir/url"
      return
    fi
  done
  log "error: PostgreSQL did not start; see $dir/postgres.log"
  exit 1
}

stop() { # dir
  local dir=$1
  [[ -f $dir/data/PG_VERSION ]] || { log "no cluster in $dir"; return; }
  if as_owner "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    log "PostgreSQL in $dir: stopped"
  else
    log "PostgreSQL in $dir: not running"
  fi
}

case "${1:-} ${2:+dir}" in
  "start dir") start "$2" ;;
  "stop dir") stop "$2" ;;
  "url dir") cat "$2/url" ;;
  *) echo "usage: $0 {start|stop|url} DIR" >&2; exit 2 ;;
esac
