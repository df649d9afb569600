#!/usr/bin/env bash
# The compose stack as a user runs it, checked end to end, then removed. Needs Docker with Compose >= 2.24.
#   bash scripts/compose-smoke.sh          (make smoke)
# A scratch project (SMOKE_PROJECT, default pte-smoke-<pid>) on its own host ports (SMOKE_PORT 3616,
# SMOKE_ES_PORT 9266), with API_KEY set: `up -d --wait`, then /health, an ingest, /emotion and /stance on a few
# tweets, /tweets, /docs, the dashboard, the key enforced, and no port answering on a non-loopback address.
# Then `down -v`, whatever happened. Exit 0 only if every check held.
# SMOKE_PREFILL_CMD: run with the models volume's name before `up` (e.g. to fill it without the hub).
# Other variables (MODELS_ONNX_EXPORT, HF_*, ...) pass through to compose as usual.
set -uo pipefail
cd "$(dirname "$0")/.."

PROJECT="${SMOKE_PROJECT:-pte-smoke-$$}"
export PORT="${SMOKE_PORT:-3616}" ES_PORT="${SMOKE_ES_PORT:-9266}"
export API_KEY="${SMOKE_API_KEY:-smoke-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')}"
unset BIND_ADDRESS # the default (127.0.0.1) is what is checked
API="http://127.0.0.1:$PORT"
compose() { docker compose -p "$PROJECT" "$@"; }
failures=0
check() { # check "what" command...: prints ok/FAIL with the command's one-line answer
  local what="$1" out
  shift
  if out="$("$@" 2>&1)"; then echo "ok    $what${out:+: $out}"; else echo "FAIL  $what${out:+: $out}"; failures=$((failures + 1)); fi
}
cleanup() {
  echo "--- docker compose -p $PROJECT down -v"
  compose down -v --remove-orphans >/dev/null 2>&1 || echo "warning: down -v failed; remove $PROJECT by hand"
  # A volume filled before `up` was not created by compose, so `down -v` leaves it.
  [ -z "${SMOKE_PREFILL_CMD:-}" ] || docker volume rm -f "${PROJECT}_models" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# curl with the key; prints the HTTP status, the body goes to $BODY
BODY="$(mktemp)"
req() { curl -sS -m 300 -o "$BODY" -w '%{http_code}' -H "authorization: Bearer $API_KEY" "$@"; }
expect_status() { # expect_status CODE curl-args... -> prints a short summary of the body
  local want="$1" got
  shift
  got="$(req "$@")" || return 1
  [ "$got" = "$want" ] || { echo "HTTP $got, wanted $want: $(head -c 300 "$BODY")"; return 1; }
  node -e '
    const t = require("fs").readFileSync(process.argv[1], "utf8");
    try { const j = JSON.parse(t); const pick = (k) => (k in j ? `${k}=${JSON.stringify(j[k])}` : "");
      console.log(["status","indexed","records","classified","remaining","model"].map(pick).filter(Boolean).join(" ")
        || `${(j.items || []).length} items`);
    } catch { console.log(`${t.length} bytes of ${/<html/i.test(t) ? "HTML" : "text"}`); }' "$BODY"
}

if [ -n "${SMOKE_PREFILL_CMD:-}" ]; then
  echo "--- $SMOKE_PREFILL_CMD ${PROJECT}_models"
  $SMOKE_PREFILL_CMD "${PROJECT}_models" >/dev/null || { echo "FAIL  prefilling the models volume"; exit 1; }
fi

echo "--- docker compose -p $PROJECT up -d --build --wait  (API on $API, Elasticsearch on 127.0.0.1:$ES_PORT)"
started=$(date +%s)
if ! compose up -d --build --wait >"$BODY.up" 2>&1; then
  tail -20 "$BODY.up"
  echo "FAIL  up --wait; the last lines of each service:"
  compose logs --tail 15 2>&1
  exit 1
fi
echo "ok    up --wait: healthy in $(($(date +%s) - started)) s"

check "GET /health" expect_status 200 "$API/health"
check "without a key: 401" bash -c "[ \"\$(curl -sS -m 10 -o /dev/null -w '%{http_code}' '$API/tweets')\" = 401 ] && echo 401"
check "wrong key: 401" bash -c "[ \"\$(curl -sS -m 10 -o /dev/null -w '%{http_code}' -H 'x-api-key: wrong-key-1' '$API/tweets')\" = 401 ] && echo 401"
check "POST /ingest" expect_status 200 -X POST "$API/ingest"
check "POST /emotion limit=5" expect_status 200 -X POST -H 'content-type: application/json' -d '{"limit":5}' "$API/emotion"
check "POST /stance limit=3" expect_status 200 -X POST -H 'content-type: application/json' -d '{"limit":3}' "$API/stance"
check "GET /tweets limit=5" expect_status 200 "$API/tweets?limit=5"
check "GET /docs" expect_status 200 "$API/docs"
check "GET / (dashboard)" expect_status 200 "$API/"

# Published ports must not answer on the machine's other addresses.
lan_ips="$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -Ev '^(127\.|::1|$)' || true)"
if [ -z "$lan_ips" ]; then
  echo "FAIL  no non-loopback address found to check the ports against"
  failures=$((failures + 1))
fi
for ip in $lan_ips; do
  case "$ip" in *:*) host="[$ip]" ;; *) host="$ip" ;; esac
  for port in "$PORT" "$ES_PORT"; do
    check "nothing answers on $host:$port" bash -c "! curl -s -m 3 -o /dev/null 'http://$host:$port/' && echo refused"
  done
done

echo "info  the model step said (docker compose logs models):"
compose logs --no-log-prefix models 2>&1 | tail -8 | sed 's/^/        /'
for service in api models; do
  image="$(compose images -q "$service" 2>/dev/null | head -1)"
  [ -n "$image" ] && echo "info  $service image: $(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}')"
done
# docker stop = SIGTERM: the API must stop cleanly (exit 0), not be killed after the grace period.
stopped=$(date +%s)
compose stop api >/dev/null 2>&1
check "docker compose stop api: exit code 0" bash -c \
  "code=\$(docker inspect -f '{{.State.ExitCode}}' \$(docker compose -p '$PROJECT' ps -aq api)); echo \"exit \$code in \$((\$(date +%s) - $stopped)) s\"; [ \"\$code\" = 0 ]"
rm -f "$BODY" "$BODY.up"
if [ "$failures" -gt 0 ]; then
  echo "compose smoke: $failures check(s) failed"
  exit 1
fi
echo "compose smoke: all checks passed"
