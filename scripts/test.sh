#!/usr/bin/env bash
# The whole test suite: set-up, the local Kafka broker, lint and type gates, unit and
# integration tests. The broker is stopped again if this script started it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
# The tests reach the broker this script starts, on whichever port it was given.
export WIREFEED_TEST_BOOTSTRAP="${WIREFEED_TEST_BOOTSTRAP:-127.0.0.1:${WIREFEED_KAFKA_PORT:-9092}}"
started=0
if ! bash deploy/kafka/broker.sh status >/dev/null 2>&1; then
  bash deploy/kafka/broker.sh start
  started=1
fi
cleanup() { if [ "$started" = 1 ]; then bash deploy/kafka/broker.sh stop || true; fi; }
trap cleanup EXIT

echo "[test] ruff" >&2
.venv/bin/ruff check .
echo "[test] mypy (strict: pure core and schemas)" >&2
.venv/bin/mypy
echo "[test] pytest" >&2
.venv/bin/pytest "$@"
