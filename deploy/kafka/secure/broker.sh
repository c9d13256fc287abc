#!/usr/bin/env bash
# A second local Kafka broker with TLS and SCRAM listeners (server.properties in this folder),
# next to the plaintext one: its own ports and state dir. Loopback only; for tests and trials.
#
# usage: deploy/kafka/secure/broker.sh {start|stop|restart|status|reset}
#        (the commands of deploy/kafka/broker.sh, on this broker)
#
# Before the first start: the certificates in WIREFEED_KAFKA_TLS_DIR, e.g.
#   .venv/bin/python deploy/kafka/secure/certs.py .local/kafka-secure/tls
# and the SCRAM users, created when the data dir is formatted (first start or after reset), e.g.
#   export WIREFEED_KAFKA_SCRAM='SCRAM-SHA-512=[name=wirefeed,password=...]'
#
# env (defaults differ from the plaintext broker's, so both run at once):
#   WIREFEED_KAFKA_PORT             PLAINTEXT port, inter-broker and readiness probe (default 9192)
#   WIREFEED_KAFKA_CONTROLLER_PORT  KRaft controller port                            (default 9193)
#   WIREFEED_KAFKA_SASL_SSL_PORT    SASL_SSL listener (SCRAM-SHA-256/512)            (default 9194)
#   WIREFEED_KAFKA_SSL_PORT         SSL listener, client certificate required         (default 9195)
#   WIREFEED_KAFKA_STATE_DIR        data/logs/pid folder          (default <repo>/.local/kafka-secure)
#   WIREFEED_KAFKA_TLS_DIR          ca.pem and server.pem (key + chain)  (default <state dir>/tls)
#   WIREFEED_KAFKA_SCRAM            SCRAM credentials for formatting, one a line (see above)
#   WIREFEED_KAFKA_LIB_FROM         jars to link to instead of fetching them again
#                                   (default <repo>/.local/kafka/lib, the plaintext broker's)
#   and the other variables of deploy/kafka/broker.sh (timeouts, heap, JAVA).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../../.." && pwd)"

export WIREFEED_KAFKA_PORT="${WIREFEED_KAFKA_PORT:-9192}"
export WIREFEED_KAFKA_CONTROLLER_PORT="${WIREFEED_KAFKA_CONTROLLER_PORT:-9193}"
export WIREFEED_KAFKA_STATE_DIR="${WIREFEED_KAFKA_STATE_DIR:-$REPO_ROOT/.local/kafka-secure}"
SASL_SSL_PORT="${WIREFEED_KAFKA_SASL_SSL_PORT:-9194}"
SSL_PORT="${WIREFEED_KAFKA_SSL_PORT:-9195}"
TLS_DIR="${WIREFEED_KAFKA_TLS_DIR:-$WIREFEED_KAFKA_STATE_DIR/tls}"
LIB_FROM="${WIREFEED_KAFKA_LIB_FROM:-$REPO_ROOT/.local/kafka/lib}"

log() { echo "[kafka-secure] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

render() {
  local file
  for file in ca.pem server.pem; do
    [[ -s "$TLS_DIR/$file" ]] || die "$TLS_DIR/$file missing (deploy/kafka/secure/certs.py writes it)"
  done
  mkdir -p "$WIREFEED_KAFKA_STATE_DIR"
  # Share the plaintext broker's jars (same pom) rather than resolving them a second time.
  if [[ ! -e "$WIREFEED_KAFKA_STATE_DIR/lib" ]] && compgen -G "$LIB_FROM/kafka_2.13-*.jar" >/dev/null; then
    ln -s "$(cd "$LIB_FROM" && pwd)" "$WIREFEED_KAFKA_STATE_DIR/lib"
  fi
  local tls; tls="$(cd "$TLS_DIR" && pwd)"
  tls="${tls//\\/\\\\}"; tls="${tls//&/\\&}"; tls="${tls//|/\\|}"
  local template="$WIREFEED_KAFKA_STATE_DIR/server.properties.in"
  sed -e "s|@SASL_SSL_PORT@|$SASL_SSL_PORT|g" \
      -e "s|@SSL_PORT@|$SSL_PORT|g" \
      -e "s|@TLS_DIR@|$tls|g" \
      "$SCRIPT_DIR/server.properties" >"$template.tmp"
  mv "$template.tmp" "$template"
  export WIREFEED_KAFKA_CONFIG="$template"
}

case "${1:-}" in
  start|restart) render ;;
  stop|status|reset) ;;
  *) echo "usage: $0 {start|stop|restart|status|reset}" >&2; exit 2 ;;
esac
exec bash "$SCRIPT_DIR/../broker.sh" "$1"
