#!/bin/bash
# docker-compose.yml's one-shot `kafka-users`: creates each Kafka user's SCRAM-SHA-512 login and
# the ACLs of services/kafka/acls.conf. It shares the broker's network namespace and talks to
# its LOCAL listener (PLAINTEXT on the broker's loopback, a super user's), which no other
# container reaches. Safe to run again: a login is replaced, an ACL added twice is one ACL.
set -euo pipefail
BIN=/opt/kafka/bin
SERVER=localhost:9095

declare -A PASSWORDS=(
  [techbank-admin]=$KAFKA_ADMIN_PASSWORD
  [techbank-web]=$KAFKA_WEB_PASSWORD
  [techbank-relay]=$KAFKA_RELAY_PASSWORD
  [techbank-projection]=$KAFKA_PROJECTION_PASSWORD
  [techbank-transfers]=$KAFKA_TRANSFERS_PASSWORD
  [techbank-users]=$KAFKA_USERS_PASSWORD
)
for user in "${!PASSWORDS[@]}"; do
  "$BIN/kafka-configs.sh" --bootstrap-server "$SERVER" --alter --entity-type users \
    --entity-name "$user" --add-config "SCRAM-SHA-512=[password=${PASSWORDS[$user]}]"
done

while read -r user resource name pattern operation; do
  [[ -z $user || $user == \#* ]] && continue
  case $resource in
    TOPIC) target=(--topic "$name") ;;
    GROUP) target=(--group "$name") ;;
    *) echo "acls.conf: unknown resource $resource" >&2; exit 1 ;;
  esac
  "$BIN/kafka-acls.sh" --bootstrap-server "$SERVER" --add --force \
    --allow-principal "User:$user" --operation "$operation" "${target[@]}" \
    --resource-pattern-type "${pattern,,}"
done </opt/techbank/acls.conf
echo "kafka-users: ${#PASSWORDS[@]} users and their ACLs are in place"
