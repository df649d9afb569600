#!/usr/bin/env bash
# The main job without Docker (`npm start`): a local Elasticsearch if none answers at ES_URL, then the
# API on serverless-offline (http://127.0.0.1:3000). Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export SLS_TELEMETRY_DISABLED=1
[ -f .env ] && set -a && . ./.env && set +a
export ES_URL="${ES_URL:-http://127.0.0.1:9200}"
[ -d node_modules ] || ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm ci --no-audit --no-fund
npx tsx scripts/check-config.ts  # a bad variable stops start-up here, named

started_es=0
if ! curl -fsS -m 2 "$ES_URL/_cluster/health" >/dev/null 2>&1; then
  bash scripts/es.sh start
  started_es=1
fi
trap '[ "$started_es" = 1 ] && bash scripts/es.sh stop' EXIT
npx serverless offline start
