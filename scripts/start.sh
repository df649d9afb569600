#!/usr/bin/env bash
# The main job without Docker (`npm start`): a local Elasticsearch if none answers at ES_URL, the model
# files when they are missing (as compose's `models` service), then the API on serverless-offline
# (http://127.0.0.1:3000). Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export SLS_TELEMETRY_DISABLED=1

# .env fills only what the environment does not set, as serverless and the scripts read it.
if [ -f .env ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    [[ "$line" =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)= ]] || continue
    name="${BASH_REMATCH[2]}"
    [ -z "${!name+set}" ] || continue
    assignment="${line#"${line%%[![:space:]]*}"}"
    [ -z "${BASH_REMATCH[1]}" ] || assignment="${assignment#export}"
    eval "export $assignment"
  done < .env
fi
export ES_URL="${ES_URL:-http://127.0.0.1:9200}"
[ -d node_modules ] || ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm ci --no-audit --no-fund
npx tsx scripts/check-config.ts  # a bad variable stops start-up here, named

# Without the hub (offline, proxy), say it once and serve what works: /tweets and /health need no model.
if ! npx tsx scripts/models/fetch.ts --if-missing; then
  echo "[start] Model files are missing and could not be fetched (reason above). Starting anyway: /tweets and" >&2
  echo "[start] /health work; /emotion and /stance answer 503 until you run \`npm run models\` with network access." >&2
fi

started_es=0
if ! curl -fsS -m 2 "$ES_URL/_cluster/health" >/dev/null 2>&1; then
  bash scripts/es.sh start
  started_es=1
fi
trap '[ "$started_es" = 1 ] && bash scripts/es.sh stop' EXIT
npx serverless offline start
