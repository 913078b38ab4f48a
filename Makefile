# TechBank — every command a newcomer needs. `make help` lists them.
.DEFAULT_GOAL := help
PY := .venv/bin/python
SHELL := /bin/bash

.PHONY: help setup services services-stop services-status migrate run demo test lint bench client clean-data

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

setup:  ## system packages + virtualenv (.venv) with pinned requirements
	@scripts/setup.sh

services: setup  ## start MariaDB :3306, FerretDB :27017, Kafka :9092; write .env (idempotent)
	@scripts/services.sh up

services-stop:  ## stop the three servers
	@scripts/services.sh stop

services-status:  ## one line per server: up or DOWN
	@scripts/services.sh status

migrate: services  ## MySQL migrations (roles too), event-store indexes, Kafka topics
	@$(PY) manage.py migrate --noinput
	@$(PY) manage.py ensure_topics
	@$(PY) manage.py collectstatic --noinput -v0

run: migrate  ## the whole system in the foreground: web on :8000, consume_events, run_transfers, project_users; Ctrl-C stops
	@scripts/run.sh

demo: migrate  ## a year of demo accounts and transfers on an empty store (manage.py load_demo; SEED=N); run it while make run is stopped
	@$(PY) manage.py load_demo $(if $(SEED),--seed $(SEED),)

# The checks of `make lint` are the pre-commit hooks (.pre-commit-config.yaml), on every file.
LINT := .venv/bin/pre-commit run --all-files --show-diff-on-failure

test: services  ## the whole test suite against the real servers, then `make lint`'s checks
	@$(PY) -m pytest
	@$(LINT)

lint: setup  ## ruff check and format --check, mypy, import-linter, promtool on ops/prometheus/ (the pre-commit hooks)
	@$(LINT)

bench: migrate  ## benchmarks (bench/README.md); QUICK=1: a smoke run of about 2 minutes (5 under load)
	@$(PY) -m bench $(if $(QUICK),--quick,)

client: setup  ## regenerate openapi/techbank.yaml from the code, then clients/python/ from it
	@scripts/client.sh

clean-data: services-stop  ## stop the servers and delete their data (keeps built binaries)
	rm -rf .services/mariadb .services/ferretdb .services/kafka/data .services/logs .services/run
