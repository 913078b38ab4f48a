#!/usr/bin/env bash
# Runs the three real servers TechBank needs on 127.0.0.1 without Docker:
#   MariaDB (MySQL protocol, read models)      port 3306
#   FerretDB v1 on SQLite (MongoDB protocol)   port 27017 (debug/metrics on 27018)
#   Apache Kafka, one KRaft node               port 9092 (controller on 9093)
# Data, logs and pid files live under .services/ (git-ignored).
#
#   scripts/services.sh up       install what is missing, start what is stopped, wait, write .env
#   scripts/services.sh stop     stop all three
#   scripts/services.sh status   one line per server
#
# Data, logs and .env are for their owner only: what this script creates is (umask 077), and
# every `up` takes group and other rights away from what an older version left readable.
#
# Least privilege: run as root, it runs mariadbd as the unprivileged `mysql` user (Debian's
# package makes it), owner of .services/mariadb; the folders above get an ACL that lets that
# user (alone) pass through. MySQL has two users: techbank (the application's: rows only) and
# techbank_migrate (`manage.py migrate`'s: DDL too); .env gets both URLs.
set -euo pipefail
umask 077

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SVC="$ROOT/.services"
PY="$ROOT/.venv/bin/python"
FERRETDB_VERSION=v1.24.2
MYSQL_PORT=3306
MYSQL_RUN_USER=mysql  # mariadbd's user when this script runs as root
MONGO_PORT=27017
KAFKA_PORT=9092

log() { printf '%s\n' "$*" >&2; }

pid_alive() { # name
  local f="$SVC/run/$1.pid"
  [[ -f $f ]] && kill -0 "$(cat "$f")" 2>/dev/null
}

port_open() { # port
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start_daemon() { # name, command...
  local name=$1; shift
  # setsid: the server must outlive `make`, and Ctrl-C in `make run` must not reach it.
  setsid nohup "$@" >>"$SVC/logs/$name.out" 2>&1 </dev/null &
  echo $! >"$SVC/run/$name.pid"
}

refuse_foreign_port() { # name, port
  if port_open "$2"; then
    log "error: port $2 is in use by a process that is not this project's $1 (see: ss -ltnp 'sport = :$2')."
    log "       Stop it, or stop the other checkout's servers with its 'make services-stop'."
    exit 1
  fi
}

# --- MariaDB ------------------------------------------------------------------------------
mysql_socket="$SVC/mariadb/mysqld.sock"

mariadb_user() { # the user mariadbd runs as: mysql under root, else whoever runs this script
  if [[ $(id -u) == 0 ]]; then echo "$MYSQL_RUN_USER"; else id -un; fi
}

mariadb_own_files() { # user — the server's folder is the user's; every folder above lets it in
  local user=$1
  [[ $(id -u) == 0 ]] || return 0
  id "$user" >/dev/null 2>&1 ||
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
  mkdir -p "$SVC/mariadb" "$SVC/logs"
  touch "$SVC/logs/mariadb.log"
  # A data dir an older version made as root is the server user's from now on.
  chown -R "$user:" "$SVC/mariadb"
  chown "$user:" "$SVC/logs/mariadb.log"
  # The passwords stay root's: the server never reads them, and its user cannot.
  chown root: "$SVC"/mariadb/*password 2>/dev/null || true
  # Search (x) only, for this user only: it reaches its folder and its log, lists nothing.
  local dir
  for dir in "$SVC/logs" "$SVC/mariadb/.."; do
    dir=$(cd "$dir" && pwd -P)
    while [[ $dir != / ]]; do
      runuser -u "$user" -- test -x "$dir" 2>/dev/null || setfacl -m "u:$user:x" "$dir"
      dir=$(dirname "$dir")
    done
  done
}

mariadb_up() {
  # Already running: its users and grants are brought up to date all the same.
  if pid_alive mariadb; then mariadb_provision; return; fi
  refuse_foreign_port MariaDB "$MYSQL_PORT"
  command -v mariadbd >/dev/null || { log "error: mariadbd not installed; run 'make setup'"; exit 1; }
  local data="$SVC/mariadb/data" user; user=$(mariadb_user)
  mkdir -p "$data"
  mariadb_own_files "$user"
  if [[ ! -d $data/mysql ]]; then
    mariadb-install-db --no-defaults --user="$user" --datadir="$data" \
      --auth-root-authentication-method=socket >"$SVC/logs/mariadb-install.log" 2>&1
    mariadb_own_files "$user"  # what the installer itself wrote (as root) too
  fi
  start_daemon mariadb mariadbd --no-defaults --user="$user" --datadir="$data" \
    --socket="$mysql_socket" --port="$MYSQL_PORT" --bind-address=127.0.0.1 \
    --pid-file="$SVC/mariadb/mariadbd.pid" --log-error="$SVC/logs/mariadb.log" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-buffer-pool-size=256M --max-connections=500
  for _ in $(seq 1 120); do
    mariadb-admin --no-defaults --socket="$mysql_socket" -uroot ping >/dev/null 2>&1 && break
    pid_alive mariadb || { log "error: MariaDB exited; see $SVC/logs/mariadb.log"; exit 1; }
    sleep 0.5
  done
  mariadb_provision
}

new_password() { # file — a random password per machine: nothing secret is committed
  [[ -s $1 ]] || head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$1"
  cat "$1"
}

mariadb_provision() {
  local pw ddl
  pw=$(new_password "$SVC/mariadb/password")
  ddl=$(new_password "$SVC/mariadb/migrate-password")
  mariadb --no-defaults --socket="$mysql_socket" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS techbank CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'techbank'@'127.0.0.1' IDENTIFIED BY '$pw';
CREATE USER IF NOT EXISTS 'techbank'@'localhost' IDENTIFIED BY '$pw';
ALTER USER 'techbank'@'127.0.0.1' IDENTIFIED BY '$pw';
ALTER USER 'techbank'@'localhost' IDENTIFIED BY '$pw';
CREATE USER IF NOT EXISTS 'techbank_migrate'@'127.0.0.1' IDENTIFIED BY '$ddl';
CREATE USER IF NOT EXISTS 'techbank_migrate'@'localhost' IDENTIFIED BY '$ddl';
ALTER USER 'techbank_migrate'@'127.0.0.1' IDENTIFIED BY '$ddl';
ALTER USER 'techbank_migrate'@'localhost' IDENTIFIED BY '$ddl';
GRANT SELECT, INSERT, UPDATE, DELETE ON techbank.* TO 'techbank'@'127.0.0.1', 'techbank'@'localhost';
-- Migrations: the schema too.
GRANT ALL PRIVILEGES ON techbank.* TO 'techbank_migrate'@'127.0.0.1', 'techbank_migrate'@'localhost';
-- The test runner creates, migrates and drops test_techbank_* as the application's user:
-- throwaway databases only, never techbank.
GRANT ALL PRIVILEGES ON \`test\\_techbank%\`.* TO 'techbank'@'127.0.0.1', 'techbank'@'localhost';
FLUSH PRIVILEGES;
SQL
  # The application has rows only; an older version gave it everything on techbank: taken
  # back here once (not on every call: a running application would miss it for a moment).
  local host
  for host in 127.0.0.1 localhost; do
    if mariadb --no-defaults --socket="$mysql_socket" -uroot -N \
      -e "SHOW GRANTS FOR 'techbank'@'$host'" | grep -q 'ALL PRIVILEGES ON `techbank`'; then
      mariadb --no-defaults --socket="$mysql_socket" -uroot -e \
        "REVOKE ALL PRIVILEGES ON techbank.* FROM 'techbank'@'$host';
         GRANT SELECT, INSERT, UPDATE, DELETE ON techbank.* TO 'techbank'@'$host';"
    fi
  done
}

# --- FerretDB -----------------------------------------------------------------------------
ferretdb_patch="$ROOT/services/ferretdb/sqlite-id-index.patch"
# The binary's name carries the patch's hash: a changed patch means a rebuild.
ferretdb_bin="$SVC/bin/ferretdb-$FERRETDB_VERSION-$(sha256sum "$ferretdb_patch" | cut -c1-8)"

ferretdb_build() {
  [[ -x $ferretdb_bin ]] && return
  command -v go >/dev/null || { log "error: Go is needed to build FerretDB"; exit 1; }
  log "building FerretDB $FERRETDB_VERSION from the Go module proxy (once; Go caches the rest)"
  # `go install pkg@version` asks the proxy for the module's version list, which this
  # network refuses; downloading the exact version and building it in place does not.
  local dir
  dir=$(cd "$SVC" && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
    "$PY" -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  local src="$SVC/build/ferretdb"
  rm -rf "$src" && mkdir -p "$SVC/build" && cp -r "$dir" "$src" && chmod -R u+w "$src"
  # FerretDB reads its version from a generated file that the module zip does not carry.
  echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  # Without this one-line fix every lookup by _id scans the whole table (the patch says why).
  patch -d "$src" -p1 --forward --quiet <"$ferretdb_patch"
  mkdir -p "$SVC/bin"
  (cd "$src" && go build -trimpath -o "$ferretdb_bin" ./cmd/ferretdb)
}

ferretdb_up() {
  if pid_alive ferretdb; then return; fi
  refuse_foreign_port FerretDB "$MONGO_PORT"
  ferretdb_build
  mkdir -p "$SVC/ferretdb/data"
  start_daemon ferretdb "$ferretdb_bin" --handler=sqlite \
    --sqlite-url="file:$SVC/ferretdb/data/" --state-dir="$SVC/ferretdb" \
    --listen-addr="127.0.0.1:$MONGO_PORT" --debug-addr="127.0.0.1:27018" \
    --telemetry=disable --log-level=WARN
}

# --- Kafka --------------------------------------------------------------------------------
kafka_libs="$SVC/kafka/libs"

kafka_install() {
  [[ -f $SVC/kafka/libs.ok ]] && return
  command -v mvn >/dev/null || { log "error: Maven is needed to fetch Kafka's jars"; exit 1; }
  log "resolving Apache Kafka's jars with Maven (once; ~/.m2 caches them)"
  rm -rf "$kafka_libs"
  mvn -q -B -f "$ROOT/services/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$kafka_libs" -DincludeScope=runtime
  touch "$SVC/kafka/libs.ok"
}

kafka_java=(java -Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true
  -Dlog4j.configuration="file:$ROOT/services/kafka/log4j.properties"
  -Dkafka.logs.dir="$SVC/logs" -cp "$kafka_libs/*")

kafka_up() {
  if pid_alive kafka; then return; fi
  refuse_foreign_port Kafka "$KAFKA_PORT"
  kafka_install
  local conf="$SVC/kafka/server.properties" data="$SVC/kafka/data"
  sed "s#@DATA@#$data#" "$ROOT/services/kafka/server.properties" >"$conf"
  if [[ ! -f $data/meta.properties ]]; then
    mkdir -p "$data"
    local cid; cid=$("${kafka_java[@]}" kafka.tools.StorageTool random-uuid)
    "${kafka_java[@]}" kafka.tools.StorageTool format -t "$cid" -c "$conf" >"$SVC/logs/kafka-format.log"
  fi
  start_daemon kafka "${kafka_java[@]}" kafka.Kafka "$conf"
}

# --- .env ---------------------------------------------------------------------------------
write_env() {
  local env="$ROOT/.env" pw ddl
  pw=$(cat "$SVC/mariadb/password") ddl=$(cat "$SVC/mariadb/migrate-password")
  if [[ ! -f $env ]]; then
    cp "$ROOT/.env.example" "$env"
    # Safe by default. A developer opts in with DEBUG=true in .env, which later calls keep.
    set_env "$env" DEBUG false
  fi
  set_env "$env" DATABASE_URL "mysql://techbank:$pw@127.0.0.1:$MYSQL_PORT/techbank"
  set_env "$env" MIGRATION_DATABASE_URL "mysql://techbank_migrate:$ddl@127.0.0.1:$MYSQL_PORT/techbank"
  set_env "$env" MONGODB_URL "mongodb://127.0.0.1:$MONGO_PORT/techbank"
  set_env "$env" KAFKA_BOOTSTRAP_SERVERS "127.0.0.1:$KAFKA_PORT"
  # This machine serves plain HTTP (make run, the tests): an .env written before HTTPS_ONLY
  # existed gets it; one that says otherwise is kept.
  if ! grep -q '^HTTPS_ONLY=' "$env"; then set_env "$env" HTTPS_ONLY false; fi
  if ! grep -q '^SECRET_KEY=.\{20,\}' "$env"; then
    set_env "$env" SECRET_KEY "$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"
  fi
}

set_env() { # file, key, value — replace the line in place, or append it
  local tmp; tmp=$(mktemp)
  KEY=$2 VALUE=$3 awk 'BEGIN { k = ENVIRON["KEY"]; v = ENVIRON["VALUE"] }
    index($0, k "=") == 1 { print k "=" v; done = 1; next } { print }
    END { if (!done) print k "=" v }' "$1" >"$tmp"
  mv "$tmp" "$1"
}

secure_data_files() { # path... — group and others lose every right; missing paths are skipped
  local path
  for path in "$@"; do
    if [[ -e $path ]]; then chmod -R go-rwx "$path"; fi
  done
}

# --- commands -----------------------------------------------------------------------------
stop_one() { # name
  if pid_alive "$1"; then
    local pid; pid=$(cat "$SVC/run/$1.pid")
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    log "$1: stopped"
  else
    log "$1: not running"
  fi
  rm -f "$SVC/run/$1.pid"
}

main() {
  mkdir -p "$SVC/logs" "$SVC/run"
  case "${1:-}" in
    up)
      was=""; for s in mariadb ferretdb kafka; do pid_alive $s && was+="$s "; done
      mariadb_up
      ferretdb_up
      kafka_up
      write_env
      # The password file, both databases' files, Kafka's log of account events, the logs, .env.
      secure_data_files "$SVC/mariadb" "$SVC/ferretdb" "$SVC/kafka/data" "$SVC/logs" "$ROOT/.env"
      # Each server must answer a real client call before we say it is up.
      "$PY" "$ROOT/scripts/check_services.py" --wait 120
      if [[ -n $was ]]; then log "(already running before this call: $was)"; fi
      ;;
    stop)
      # Kafka first: it flushes its log; the databases do not depend on it.
      stop_one kafka; stop_one ferretdb; stop_one mariadb
      ;;
    status)
      "$PY" "$ROOT/scripts/check_services.py"
      ;;
    *)
      echo "usage: $0 {up|stop|status}" >&2; exit 2 ;;
  esac
}

# Sourced (by the tests), it only defines the functions.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
