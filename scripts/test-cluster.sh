#!/usr/bin/env bash
# npm run test:cluster — opt-in: starts a local 3-node cluster (scripts/es.sh, ES_NODES=3) on ES_URL's port and
# the next two (default 9200-9202), runs test/cluster (120,000 tweets, one node SIGKILLed during an ingest, a
# tagging run and a job; every count printed), and stops every node it started, also when the test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export ONNXRUNTIME_NODE_INSTALL_CUDA=skip SLS_TELEMETRY_DISABLED=1
export ES_NODES="${ES_NODES:-3}"
export ES_URL="${ES_URL:-http://127.0.0.1:9200}"
export ES_CLUSTER_URL="${ES_URL%%,*}"
export LOG_LEVEL="${LOG_LEVEL:-error}"  # the retries are logged at warn: thousands of lines while a node is down
t0=$(date +%s)

base="$(sed -E 's#^.*:([0-9]+)/?$#\1#' <<<"$ES_CLUSTER_URL")"
if curl -fsS -m 2 "$ES_CLUSTER_URL/_cluster/health" >/dev/null 2>&1; then
  echo "something already answers at $ES_CLUSTER_URL: the test kills nodes, so it starts its own; pick another port (ES_URL=http://127.0.0.1:9230)" >&2
  exit 2
fi
cleanup() { bash scripts/es.sh stop || true; }
trap cleanup EXIT                 # also after a failed test or Ctrl-C: every node it started is stopped
trap 'exit 130' INT TERM
t_start=$(date +%s)
bash scripts/es.sh start
echo "[cluster] $ES_NODES nodes on ports $base-$((base + ES_NODES - 1)) up in $(( $(date +%s) - t_start )) s"
node --experimental-vm-modules node_modules/jest/bin/jest.js --config jest.cluster.config.js --runInBand "$@"
echo "cluster test wall time: $(( $(date +%s) - t0 )) s"
