#!/usr/bin/env bash
# The test command (`npm test`): installs dependencies, starts a real Elasticsearch 8 when ES_URL does
# not answer, runs the type check and every jest suite, and stops only what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
export ONNXRUNTIME_NODE_INSTALL_CUDA=skip SLS_TELEMETRY_DISABLED=1
export ES_URL="${ES_URL:-http://127.0.0.1:9200}"
export LOG_LEVEL="${LOG_LEVEL:-warn}"  # request logs of the servers under test would drown the results
t0=$(date +%s)

if [ "${SKIP_INSTALL:-0}" != 1 ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# The dashboard's browser test drives Debian's chromium (browser downloads fail here); installed once, quietly.
if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then
  echo "installing chromium (Debian package) for the dashboard's browser test..."
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo -n"
  { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends chromium; } >/dev/null
fi

started_es=0
if ! curl -fsS -m 2 "$ES_URL/_cluster/health" >/dev/null 2>&1; then
  bash scripts/es.sh start
  started_es=1
fi
cleanup() { [ "$started_es" = 1 ] && bash scripts/es.sh stop || true; }
trap cleanup EXIT

npx tsc --noEmit
npm run -s lint   # ESLint (type-aware) and Prettier --check
node --experimental-vm-modules node_modules/jest/bin/jest.js --runInBand "$@"
echo "test command wall time: $(( $(date +%s) - t0 )) s"
