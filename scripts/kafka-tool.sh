#!/usr/bin/env bash
# Kafka's own command-line tools, run from the jars `make services` fetched (no Kafka install).
#   scripts/kafka-tool.sh topics --describe --topic techbank.account-events
#   scripts/kafka-tool.sh console-consumer --topic techbank.account-events --from-beginning \
#       --property print.key=true --property print.headers=true
#   scripts/kafka-tool.sh consumer-groups --describe --group techbank-accounts-query
# --bootstrap-server 127.0.0.1:9092 is added for you.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case "${1:-}" in
  topics) class=org.apache.kafka.tools.TopicCommand ;;
  console-consumer) class=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
  consumer-groups) class=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  offsets) class=org.apache.kafka.tools.GetOffsetShell ;;
  *) echo "usage: $0 {topics|console-consumer|consumer-groups|offsets} ARGS..." >&2; exit 2 ;;
esac
shift
exec java -Xmx256m -Dlog4j.configuration="file:$ROOT/services/kafka/log4j.properties" \
  -Dkafka.logs.dir="$ROOT/.services/logs" -cp "$ROOT/.services/kafka/libs/*" "$class" \
  --bootstrap-server "${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}" "$@"
