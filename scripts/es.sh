#!/usr/bin/env bash
# Starts/stops a real Elasticsearch 8 for development, tests and CI, without Docker.
# The distribution zip comes from Maven Central through `mvn dependency:get`.
#   scripts/es.sh start   # no-op if ES_URL already answers
#   scripts/es.sh stop    # stops only a node this script started, deletes its temp data
#   scripts/es.sh status
set -euo pipefail

ES_VERSION="${ES_VERSION:-8.8.1}"
ES_URL="${ES_URL:-http://127.0.0.1:9200}"
ES_HEAP="${ES_HEAP:-512m}"
ES_START_TIMEOUT="${ES_START_TIMEOUT:-120}"
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="$REPO_DIR/.es"                                  # pid + data dir of the node we started
# Outside the repo and /root: the unprivileged user must be able to read it.
INSTALL_ROOT="${ES_INSTALL_DIR:-${TMPDIR:-/tmp}/political-tweets-etl-es}"
ES_HOME="$INSTALL_ROOT/elasticsearch-$ES_VERSION"
ES_PORT="$(sed -E 's#^.*:([0-9]+)/?$#\1#' <<<"$ES_URL")"

log() { echo "[es] $*" >&2; }
answers() { curl -fsS -m 2 "$ES_URL/_cluster/health" >/dev/null 2>&1; }

# Major version of the JDK at $1 ("1.8.0_x" → 8, "17.0.15" → 17), empty when there is none.
java_major() {
  [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -version 2>&1 | sed -nE '1s/.*version "(1\.)?([0-9]+).*/\2/p'
}

# Elasticsearch 8.8 runs on Java 17 to 21 (it fails to start on 24+): take the first such JDK.
find_java_home() {
  local candidates=("${ES_JAVA_HOME:-}" "${JAVA_HOME:-}") d major newest=""
  [ -n "${ES_JAVA_HOME:-}" ] && candidates=("$ES_JAVA_HOME")  # an explicit choice is the only one
  if [ -z "${ES_JAVA_HOME:-}" ]; then
    for d in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do candidates+=("$d"); done
    [ -x /usr/libexec/java_home ] && candidates+=("$(/usr/libexec/java_home -v 17+ 2>/dev/null || true)")
    # The java on PATH, by its own java.home (readlink -f is not portable to macOS).
    command -v java >/dev/null && candidates+=("$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')")
  fi
  for d in "${candidates[@]}"; do
    [ -n "$d" ] || continue
    major="$(java_major "$d")"
    [ -n "$major" ] || continue
    if [ "$major" -ge 17 ] && [ "$major" -le 21 ]; then echo "$d"; return; fi
    newest="$newest $d (Java $major)"
  done
  log "Elasticsearch $ES_VERSION needs Java 17 to 21; found only:${newest:- no JDK}."
  log "Install one (apt install openjdk-17-jdk-headless, brew install openjdk@21) or set ES_JAVA_HOME to it."
  return 1
}

install_es() {
  [ -x "$ES_HOME/bin/elasticsearch" ] && return
  command -v mvn >/dev/null || { log "Maven is required to fetch Elasticsearch from Maven Central"; exit 1; }
  log "fetching Elasticsearch $ES_VERSION from Maven Central"
  # Name the local repository: Maven's default comes from Java's user.home, which need not be $HOME.
  local repo="${MAVEN_REPO:-$HOME/.m2/repository}"
  mvn -q -B dependency:get -Dtransitive=false "-Dmaven.repo.local=$repo" \
    "-Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip"
  local zip="$repo/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION/elasticsearch-$ES_VERSION.zip"
  mkdir -p "$INSTALL_ROOT"
  local tmp; tmp="$(mktemp -d "$INSTALL_ROOT/unzip.XXXXXX")"
  if command -v unzip >/dev/null; then unzip -q "$zip" -d "$tmp"; else python3 -m zipfile -e "$zip" "$tmp" && chmod -R u+x "$tmp"/*/bin; fi
  mv "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME" && rmdir "$tmp"
}

# Elasticsearch refuses to run as root: use an unprivileged system user then.
run_as() {
  if [ "$(id -u)" = 0 ]; then
    id elastic >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin elastic
    chown -R elastic "$ES_HOME" "$1"
    shift; su elastic -s /bin/bash -c "$*"
  else
    shift; bash -c "$*"
  fi
}

start() {
  if answers; then log "already answering at $ES_URL, leaving it alone"; return; fi
  install_es
  mkdir -p "$STATE_DIR"
  local data; data="$(mktemp -d "${TMPDIR:-/tmp}/pte-es-data.XXXXXX")"
  chmod 755 "$data"
  echo "$data" > "$STATE_DIR/data_dir"
  local java_home; java_home="$(find_java_home)" || exit 1
  local t0=$SECONDS  # bash's own clock: `date +%s%N` is GNU-only
  log "starting Elasticsearch $ES_VERSION on port $ES_PORT (heap $ES_HEAP, data $data)"
  run_as "$data" "ES_JAVA_HOME='$java_home' ES_JAVA_OPTS='-Xms$ES_HEAP -Xmx$ES_HEAP' \
    '$ES_HOME/bin/elasticsearch' -d -p '$data/es.pid' \
    -E discovery.type=single-node -E xpack.security.enabled=false \
    -E network.host=127.0.0.1 -E http.port=$ES_PORT -E transport.port=$((ES_PORT + 100)) \
    -E path.data='$data/data' -E path.logs='$data/logs' \
    -E cluster.routing.allocation.disk.threshold_enabled=false -E action.destructive_requires_name=false \
    >'$data/startup.out' 2>&1"
  for _ in $(seq 1 "$ES_START_TIMEOUT"); do
    if answers; then
      cp "$data/es.pid" "$STATE_DIR/pid"
      log "up at $ES_URL in $((SECONDS - t0)) s (Java $(java_major "$java_home") at $java_home)"
      return
    fi
    sleep 1
  done
  log "did not answer within ${ES_START_TIMEOUT}s; last log lines:"
  tail -n 30 "$data/startup.out" "$data/logs/"*.log >&2 || true
  stop; exit 1
}

stop() {
  [ -f "$STATE_DIR/data_dir" ] || { log "nothing started by this script"; return; }
  local data; data="$(cat "$STATE_DIR/data_dir")"
  local pid=""; [ -f "$data/es.pid" ] && pid="$(cat "$data/es.pid")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
    log "stopped pid $pid"
  fi
  rm -rf "$data" "$STATE_DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if answers; then curl -fsS "$ES_URL/"; else log "not answering at $ES_URL"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
