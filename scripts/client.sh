#!/usr/bin/env bash
# `make client`: the OpenAPI schema from the code, then the Python client from the schema.
#   scripts/client.sh            openapi/techbank.yaml (drf-spectacular), then clients/python/
#   scripts/client.sh code DIR   the client only, from the committed schema, into DIR (what
#                                tests/api/test_python_client_generated.py compares)
# Offline and deterministic: openapi-python-client reads the file, and the ruff it runs on its
# output is .venv's pinned one with no cache, under the client's own pyproject.toml settings.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export PATH="$ROOT/.venv/bin:$PATH" RUFF_NO_CACHE=true

generate_code() {
  openapi-python-client generate --path openapi/techbank.yaml \
    --config clients/openapi-python-client.yaml --meta pdm \
    --output-path "$1" --overwrite --fail-on-warning >/dev/null
}

if [[ ${1:-} == code ]]; then
  generate_code "${2:?usage: scripts/client.sh code DIR}"
  exit 0
fi
# --fail-on-warn: a view drf-spectacular cannot describe fails here, not in a client.
.venv/bin/python manage.py spectacular --fail-on-warn --file openapi/techbank.yaml
generate_code clients/python
echo "client: openapi/techbank.yaml and clients/python/ regenerated"
