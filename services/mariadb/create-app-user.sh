#!/bin/bash
# Run by the mariadb image once, when the mysql_data volume is first initialised
# (/docker-entrypoint-initdb.d). MARIADB_USER (techbank_migrate) owns the database and runs the
# migrations; the application's user gets rows only: SELECT, INSERT, UPDATE, DELETE, no DDL.
set -euo pipefail
: "${MARIADB_DATABASE:?}" "${TECHBANK_APP_USER:?}" "${TECHBANK_APP_PASSWORD:?}"
docker_process_sql --database=mysql <<SQL
CREATE USER IF NOT EXISTS '${TECHBANK_APP_USER}'@'%' IDENTIFIED BY '${TECHBANK_APP_PASSWORD}';
GRANT SELECT, INSERT, UPDATE, DELETE ON \`${MARIADB_DATABASE}\`.* TO '${TECHBANK_APP_USER}'@'%';
SQL
