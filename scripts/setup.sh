#!/usr/bin/env bash
# `make setup`: the system packages and the Python virtualenv (.venv). Idempotent and quick
# when nothing changed. Needs Debian/Ubuntu with Python 3.11, Java 17, Maven and Go present.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# mysqlclient builds against libmariadb (pkg-config finds it); MariaDB is our MySQL server.
# chromium (and fonts for it): the page tests render the HTML pages in it, headless
# (tests/e2e/browser.py); Playwright drives it, no browser is downloaded.
# redis-server: the throttle's tests start their own on a free port (tests/harness/redis.py);
# nothing here uses or starts a system Redis (policy-rc.d below keeps Debian from starting one).
# acl: setfacl lets MariaDB's own user (mysql) through the folders above .services/mariadb
# and nobody else (scripts/services.sh).
# prometheus: only for promtool, which checks and unit-tests ops/prometheus/rules.yml
# (tests/ops/test_ops_rules.py); its server (:9090) and node exporter are never started.
PACKAGES=(mariadb-server mariadb-client pkg-config default-libmysqlclient-dev build-essential
  chromium fonts-liberation redis-server acl prometheus)
# curl and jq: the README's examples use them, and tests/e2e/test_readme_examples.py runs those.
PACKAGES+=(curl jq)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) == 0 ]] || SUDO="sudo"
  echo "installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  # policy-rc.d keeps Debian from starting its own MariaDB (port 3306), Redis (6379) and
  # Prometheus (9090) services; `make services` runs the project's MariaDB with data under .services/.
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  $SUDO rm -f /usr/sbin/policy-rc.d
  # Debian also enables the Redis it installs for the next boot: the tests start their own.
  if [[ " ${missing[*]} " == *" redis-server "* ]] && command -v systemctl >/dev/null; then
    $SUDO systemctl disable redis-server >/dev/null 2>&1 || true
  fi
  # Likewise Prometheus (:9090) and the node exporter it recommends (:9100): promtool only.
  if [[ " ${missing[*]} " == *" prometheus "* ]] && command -v systemctl >/dev/null; then
    $SUDO systemctl disable prometheus prometheus-node-exporter >/dev/null 2>&1 || true
  fi
fi
for tool in java mvn go; do
  command -v "$tool" >/dev/null || { echo "error: $tool is required (see README)"; exit 1; }
done

[[ -x .venv/bin/python ]] || python3.11 -m venv .venv 2>/dev/null || python3 -m venv .venv
stamp=.venv/.requirements.sha
want=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r requirements-dev.txt
  echo "$want" >"$stamp"
fi
echo "setup: ok ($(.venv/bin/python --version), packages from requirements-dev.txt)"
