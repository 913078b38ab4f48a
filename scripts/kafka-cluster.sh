#!/usr/bin/env bash
# A three-broker Apache Kafka cluster (KRaft) on free ports of 127.0.0.1, for when one broker is
# not enough. It uses the jars `make services` resolved; it does not touch the servers that
# `make services` runs. See scripts/kafka_cluster.py for what it sets up.
#   scripts/kafka-cluster.sh up DIR       start (or restart) it; prints KAFKA_BOOTSTRAP_SERVERS=...
#   scripts/kafka-cluster.sh status DIR   one line per node
#   scripts/kafka-cluster.sh kill DIR N   kill -9 node N (to watch a fail-over; `up` restarts it)
#   scripts/kafka-cluster.sh stop DIR     stop all nodes
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
exec "$ROOT/.venv/bin/python" "$ROOT/scripts/kafka_cluster.py" "$@"
