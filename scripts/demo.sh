#!/usr/bin/env bash
# The demo on a fresh machine: set-up, the local broker, a worker, the bundled sample feed
# (examples/feed) posted to Kafka, and the story events it produces.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
bash deploy/kafka/broker.sh start
.venv/bin/wirefeed demo "$@"
echo "[demo] the broker keeps running; stop it with: bash deploy/kafka/broker.sh stop" >&2
