#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft combined mode) for wirefeed, built from Maven
# Central jars (see pom.xml). Loopback only.
#
# usage: deploy/kafka/broker.sh {start|stop|restart|status|classpath|reset}
#   start      idempotent; fetches jars with Maven on first use (cached in .local/kafka/lib),
#              formats the KRaft data dir once, waits until the broker answers Kafka requests
#   stop       SIGTERM, then SIGKILL after 30 s; idempotent
#   status     exit 0 running and answering, 1 process up but not answering, 3 stopped
#   classpath  prints the jar classpath (ProducerPerformance, ConsumerPerformance, TopicCommand...)
#   reset      stop, then delete the data dir
#
# env:
#   WIREFEED_KAFKA_PORT             PLAINTEXT port                (default 9092)
#   WIREFEED_KAFKA_CONTROLLER_PORT  KRaft controller port          (default 9093)
#   WIREFEED_KAFKA_STATE_DIR        jars/data/logs/pid folder      (default <repo>/.local/kafka)
#   WIREFEED_KAFKA_CONFIG           server.properties template     (default deploy/kafka/server.properties;
#                                   @PORT@, @CONTROLLER_PORT@, @LOG_DIRS@ are substituted)
#   WIREFEED_KAFKA_SCRAM            SCRAM credentials created when the data dir is formatted, one
#                                   'SCRAM-SHA-512=[name=...,password=...]' a line (default none)
#   WIREFEED_KAFKA_CLUSTER_ID       cluster id used when formatting (fixed default)
#   WIREFEED_KAFKA_START_TIMEOUT    seconds to wait for readiness  (default 60)
#   KAFKA_HEAP                      JVM heap flags                 (default "-Xmx512m -Xms512m")
#   KAFKA_OPTS                      extra JVM flags
#   JAVA                            java binary                    (default: java on PATH)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

PORT="${WIREFEED_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${WIREFEED_KAFKA_CONTROLLER_PORT:-9093}"
STATE_DIR="${WIREFEED_KAFKA_STATE_DIR:-$REPO_ROOT/.local/kafka}"
CLUSTER_ID="${WIREFEED_KAFKA_CLUSTER_ID:-H6gpG4U8T7CXsUSopP-zKw}"
START_TIMEOUT="${WIREFEED_KAFKA_START_TIMEOUT:-60}"
HEAP="${KAFKA_HEAP:--Xmx512m -Xms512m}"
JAVA_BIN="${JAVA:-java}"
HOST=127.0.0.1

LIB_DIR="$STATE_DIR/lib"
LIB_STAMP="$LIB_DIR/.pom.sha256"
DATA_DIR="$STATE_DIR/data"
LOG_DIR="$STATE_DIR/logs"
PID_FILE="$STATE_DIR/kafka.pid"
CONF="$STATE_DIR/server.properties"
CONFIG_TEMPLATE="${WIREFEED_KAFKA_CONFIG:-$SCRIPT_DIR/server.properties}"
SERVER_LOG="$LOG_DIR/server.log"
OUT_LOG="$LOG_DIR/kafka.out"

log() { echo "[kafka] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- classpath
pom_hash() { sha256sum "$SCRIPT_DIR/pom.xml" | cut -d' ' -f1; }

resolve_lib() {
  if [[ -f "$LIB_STAMP" && "$(cat "$LIB_STAMP")" == "$(pom_hash)" ]] \
     && compgen -G "$LIB_DIR/kafka_2.13-*.jar" >/dev/null; then
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (needed once to fetch the Kafka jars)"
  local tmp="$STATE_DIR/lib.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$STATE_DIR"
  local mvn_args=(-B -q -Dstyle.color=never -f "$SCRIPT_DIR/pom.xml" dependency:copy-dependencies
                  -DincludeScope=runtime -DoutputDirectory="$tmp")
  log "resolving Kafka jars with Maven into $LIB_DIR ..."
  # Offline first (fast when ~/.m2 already has everything), then online.
  if ! mvn -o "${mvn_args[@]}" >/dev/null 2>&1; then
    rm -rf "$tmp"
    mvn "${mvn_args[@]}" </dev/null >&2 || { rm -rf "$tmp"; die "Maven dependency resolution failed"; }
  fi
  pom_hash >"$tmp/.pom.sha256"
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
}

classpath() {
  resolve_lib
  local cp="" jar
  for jar in "$LIB_DIR"/*.jar; do cp="${cp:+$cp:}$jar"; done
  printf '%s\n' "$cp"
}

# ---------------------------------------------------------------- process
read_pid() { if [[ -f "$PID_FILE" ]]; then tr -dc '0-9' <"$PID_FILE"; fi; }

# Our broker = live pid whose command line is kafka.Kafka on our generated config.
is_running() {
  local pid; pid="$(read_pid)"
  [[ -n "$pid" ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  local cmd; cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  [[ "$cmd" == *"kafka.Kafka $CONF"* ]]
}

ping_broker() { python3 "$SCRIPT_DIR/kafka_ping.py" "$HOST" "${2:-$PORT}" "${1:-3}"; }

# PLAINTEXT port of the running broker, read from the config it was started with.
running_port() {
  sed -n 's|^advertised.listeners=PLAINTEXT://[^:]*:\([0-9]*\).*|\1|p' "$CONF" 2>/dev/null | head -n1 || true
}

port_in_use() {
  python3 - "$HOST" "$1" <<'PY'
import socket, sys
s = socket.socket()
s.settimeout(1)
sys.exit(0 if s.connect_ex((sys.argv[1], int(sys.argv[2]))) == 0 else 1)
PY
}

write_config() {
  mkdir -p "$DATA_DIR" "$LOG_DIR"
  local esc_dir="${DATA_DIR//\\/\\\\}"; esc_dir="${esc_dir//&/\\&}"; esc_dir="${esc_dir//|/\\|}"
  sed -e "s|@PORT@|$PORT|g" \
      -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" \
      -e "s|@LOG_DIRS@|$esc_dir|g" \
      "$CONFIG_TEMPLATE" >"$CONF.tmp"
  mv "$CONF.tmp" "$CONF"
}

java_cmd() {
  # shellcheck disable=SC2206
  local heap=($HEAP) opts=(${KAFKA_OPTS:-})
  JAVA_ARGS=("$JAVA_BIN" "${heap[@]}"
    -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true
    "-Dkafka.logs.dir=$LOG_DIR"
    "-Dlog4j2.configurationFile=$SCRIPT_DIR/log4j2.properties"
    "${opts[@]}" -cp "$LIB_DIR/*")
}

format_storage() {
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    return 0
  fi
  log "formatting $DATA_DIR (cluster id $CLUSTER_ID)"
  local scram=() line
  while IFS= read -r line; do
    if [[ -n "$line" ]]; then scram+=(--add-scram "$line"); fi
  done <<<"${WIREFEED_KAFKA_SCRAM:-}"
  java_cmd
  if ! "${JAVA_ARGS[@]}" kafka.tools.StorageTool format --config "$CONF" \
        --cluster-id "$CLUSTER_ID" --ignore-formatted ${scram[@]+"${scram[@]}"} \
        </dev/null >>"$OUT_LOG" 2>&1; then
    tail -n 30 "$OUT_LOG" >&2 || true
    die "kafka storage format failed"
  fi
}

wait_ready() {
  local pid="$1" deadline=$((SECONDS + START_TIMEOUT))
  while (( SECONDS < deadline )); do
    if ! kill -0 "$pid" 2>/dev/null; then
      return 2
    fi
    if ping_broker 2 >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  return 1
}

fail_start() {
  local msg="$1"
  log "ERROR: $msg"
  local f off
  for f in "$SERVER_LOG" "$OUT_LOG"; do
    [[ -s "$f" ]] || continue
    off=0
    [[ "$f" == "$SERVER_LOG" ]] && off="${SERVER_LOG_OFFSET:-0}"
    [[ "$f" == "$OUT_LOG" ]] && off="${OUT_LOG_OFFSET:-0}"
    (( $(stat -c %s "$f") >= off )) || off=0   # rotated meanwhile
    local chunk; chunk="$(tail -c +"$((off + 1))" "$f" | tail -n 30 | cut -c1-400 || true)"
    [[ -n "$chunk" ]] || continue
    echo "----- $f (this start, last 30 lines) -----" >&2
    printf '%s\n' "$chunk" >&2
  done
  exit 1
}

log_size() { if [[ -f "$1" ]]; then stat -c %s "$1"; else echo 0; fi; }

cmd_start() {
  SERVER_LOG_OFFSET="$(log_size "$SERVER_LOG")"
  OUT_LOG_OFFSET="$(log_size "$OUT_LOG")"
  if is_running; then
    local pid; pid="$(read_pid)"
    local rport; rport="$(running_port)"
    if [[ -n "$rport" && "$rport" != "$PORT" ]]; then
      die "broker already running (pid $pid) on port $rport, not $PORT: run 'stop' first"
    fi
    if ping_broker 3 >/dev/null 2>&1; then
      log "already running (pid $pid) on $HOST:$PORT"
      return 0
    fi
    log "process $pid exists but is not answering yet; waiting"
    local rc=0; wait_ready "$pid" || rc=$?
    if (( rc == 0 )); then log "ready on $HOST:$PORT (pid $pid)"; return 0; fi
    fail_start "broker pid $pid did not become ready within ${START_TIMEOUT}s"
  fi
  rm -f "$PID_FILE"
  if port_in_use "$PORT"; then
    die "port $HOST:$PORT is already in use by another process (set WIREFEED_KAFKA_PORT)"
  fi
  if port_in_use "$CONTROLLER_PORT"; then
    die "port $HOST:$CONTROLLER_PORT is already in use (set WIREFEED_KAFKA_CONTROLLER_PORT)"
  fi
  command -v "$JAVA_BIN" >/dev/null || die "java not found (Java 17+ required)"
  command -v python3 >/dev/null || die "python3 not found (used for the readiness probe)"

  resolve_lib
  write_config
  format_storage

  java_cmd
  log "starting broker on $HOST:$PORT (controller $CONTROLLER_PORT, heap: $HEAP)"
  echo "===== $(date -u +%FT%TZ) start =====" >>"$OUT_LOG"
  # setsid: own session, so the broker outlives this script and its process group.
  setsid "${JAVA_ARGS[@]}" kafka.Kafka "$CONF" </dev/null >>"$OUT_LOG" 2>&1 &
  local pid=$!
  echo "$pid" >"$PID_FILE"

  local rc=0; wait_ready "$pid" || rc=$?
  case "$rc" in
    0) log "ready on $HOST:$PORT (pid $pid, took ${SECONDS}s)"
       log "log: $SERVER_LOG (stdout/stderr: $OUT_LOG)" ;;
    2) rm -f "$PID_FILE"; fail_start "broker process exited during startup" ;;
    *) fail_start "broker (pid $pid) not ready within ${START_TIMEOUT}s; it is left running, use 'stop'" ;;
  esac
}

cmd_stop() {
  if ! is_running; then
    [[ -f "$PID_FILE" ]] && rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  local pid; pid="$(read_pid)"
  log "stopping pid $pid (SIGTERM)"
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 60; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "still alive after 30s, SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  fi
  rm -f "$PID_FILE"
  log "stopped"
}

cmd_status() {
  if is_running; then
    local pid; pid="$(read_pid)"
    local rport; rport="$(running_port)"; rport="${rport:-$PORT}"
    if ping_broker 3 "$rport" >/dev/null 2>&1; then
      echo "running (pid $pid) on $HOST:$rport; log: $SERVER_LOG"
      return 0
    fi
    echo "process running (pid $pid) but not answering on $HOST:$rport; log: $SERVER_LOG"
    return 1
  fi
  echo "stopped"
  return 3
}

cmd_reset() {
  cmd_stop
  log "deleting $DATA_DIR"
  rm -rf "$DATA_DIR"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) cmd_stop; cmd_start ;;
  status) cmd_status ;;
  classpath) classpath ;;
  reset) cmd_reset ;;
  *) echo "usage: $0 {start|stop|restart|status|classpath|reset}" >&2; exit 2 ;;
esac
