#!/usr/bin/env bash
# Starts/stops a real Elasticsearch 8 for development, tests and CI, without Docker: one node, or a local cluster.
# The distribution zip comes from Maven Central through `mvn dependency:get`.
#   scripts/es.sh start        # no-op if ES_URL already answers
#   scripts/es.sh stop         # stops every node this script started on ES_URL's port(s), deletes their temp data
#   scripts/es.sh status
#   ES_NODES=3 scripts/es.sh start      # a 3-node cluster on ES_URL's port and the next two (9200, 9201, 9202)
#   ES_NODES=3 scripts/es.sh pids       # "<node> <pid> <http port>" per running node
#   ES_NODES=3 scripts/es.sh kill 1     # SIGKILL node 1 (as a crash would); `start-node 1` brings it back
# The base HTTP port comes from ES_URL (or ES_BASE_PORT); transport ports are the HTTP ports + 100.
set -euo pipefail

ES_VERSION="${ES_VERSION:-8.8.1}"
ES_URL="${ES_URL:-http://127.0.0.1:9200}"
ES_URL="${ES_URL%%,*}"                                      # a list of nodes: the first one's port is the base
ES_NODES="${ES_NODES:-1}"
ES_HEAP="${ES_HEAP:-512m}"
ES_START_TIMEOUT="${ES_START_TIMEOUT:-120}"
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LEGACY_STATE_DIR="$REPO_DIR/.es"                           # before clusters: one node's state right in .es/
# Outside the repo and /root: the unprivileged user must be able to read it.
INSTALL_ROOT="${ES_INSTALL_DIR:-${TMPDIR:-/tmp}/political-tweets-etl-es}"
ES_HOME="$INSTALL_ROOT/elasticsearch-$ES_VERSION"
ES_PORT="${ES_BASE_PORT:-$(sed -E 's#^.*:([0-9]+)/?$#\1#' <<<"$ES_URL")}"
STATE_DIR="$REPO_DIR/.es/$ES_PORT"                         # per base port: node-<i>/{pid,data_dir,port}

log() { echo "[es] $*" >&2; }
answers() { curl -fsS -m 2 "http://127.0.0.1:${1:-$ES_PORT}/_cluster/health" >/dev/null 2>&1; }

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

node_dir() { echo "$STATE_DIR/node-$1"; }
node_pid() { local f; f="$(node_dir "$1")/pid"; [ -f "$f" ] && cat "$f" || true; }

# Starts node $1 of an ES_NODES cluster (or the single node) in the background; its state goes to .es/<port>/node-$1.
launch_node() {
  local i="$1" port=$((ES_PORT + $1)) dir; dir="$(node_dir "$1")"
  local java_home; java_home="$(find_java_home)" || exit 1
  mkdir -p "$dir"
  local data; data="$(cat "$dir/data_dir" 2>/dev/null || true)"
  if [ -z "$data" ] || [ ! -d "$data" ]; then
    data="$(mktemp -d "${TMPDIR:-/tmp}/pte-es-data.XXXXXX")"; chmod 755 "$data"; echo "$data" > "$dir/data_dir"
  fi
  local discovery="-E discovery.type=single-node"
  if [ "$ES_NODES" -gt 1 ]; then
    local seeds="" masters="" n
    for n in $(seq 0 $((ES_NODES - 1))); do
      seeds="$seeds${seeds:+,}127.0.0.1:$((ES_PORT + 100 + n))"; masters="$masters${masters:+,}node-$n"
    done
    discovery="-E cluster.name=pte-$ES_PORT -E node.name=node-$i -E discovery.seed_hosts=$seeds"
    discovery="$discovery -E cluster.initial_master_nodes=$masters"
  fi
  log "starting node $i on port $port (heap $ES_HEAP, data $data)"
  run_as "$data" "ES_JAVA_HOME='$java_home' ES_JAVA_OPTS='-Xms$ES_HEAP -Xmx$ES_HEAP' \
    '$ES_HOME/bin/elasticsearch' -d -p '$data/es.pid' $discovery -E xpack.security.enabled=false \
    -E network.host=127.0.0.1 -E http.port=$port -E transport.port=$((port + 100)) \
    -E path.data='$data/data' -E path.logs='$data/logs' \
    -E cluster.routing.allocation.disk.threshold_enabled=false -E action.destructive_requires_name=false \
    >'$data/startup.out' 2>&1"
  for _ in $(seq 1 30); do [ -s "$data/es.pid" ] && break; sleep 1; done
  cp "$data/es.pid" "$dir/pid" 2>/dev/null || true
  echo "$port" > "$dir/port"
}

# Waits until every node of the cluster has joined (health answers with ES_NODES nodes).
wait_for_cluster() {
  local t0="$1" java_home; java_home="$(find_java_home)"
  for _ in $(seq 1 "$ES_START_TIMEOUT"); do
    if curl -fsS -m 2 "http://127.0.0.1:$ES_PORT/_cluster/health?wait_for_nodes=$ES_NODES&timeout=1s" 2>/dev/null \
      | grep -q "\"number_of_nodes\":$ES_NODES,"; then
      local dir; for dir in "$STATE_DIR"/node-*; do cp "$(cat "$dir/data_dir")/es.pid" "$dir/pid"; done
      log "up at http://127.0.0.1:$ES_PORT ($ES_NODES node(s), ports $ES_PORT-$((ES_PORT + ES_NODES - 1))) in $((SECONDS - t0)) s (Java $(java_major "$java_home") at $java_home)"
      return
    fi
    sleep 1
  done
  log "did not answer within ${ES_START_TIMEOUT}s; last log lines:"
  local dir; for dir in "$STATE_DIR"/node-*; do
    tail -n 30 "$(cat "$dir/data_dir")/startup.out" "$(cat "$dir/data_dir")/logs/"*.log >&2 || true
  done
  stop; exit 1
}

start() {
  if answers; then log "already answering at http://127.0.0.1:$ES_PORT, leaving it alone"; return; fi
  install_es
  local t0=$SECONDS i  # bash's own clock: `date +%s%N` is GNU-only
  # Side by side: each launch waits for its node to start, and a cluster forms only once a majority is up.
  local pids=()
  for i in $(seq 0 $((ES_NODES - 1))); do launch_node "$i" & pids+=($!); done
  for i in "${pids[@]}"; do wait "$i" || true; done
  wait_for_cluster "$t0"
}

# Stops one process started by this script: TERM, then KILL after 30 s.
stop_pid() {
  local pid="$1"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -9 "$pid" 2>/dev/null || true
  log "stopped pid $pid"
}

stop() {
  local found=0 dir
  if [ -f "$LEGACY_STATE_DIR/data_dir" ]; then  # a node an earlier version of this script started: on this port?
    local data pid; data="$(cat "$LEGACY_STATE_DIR/data_dir")"; pid="$(cat "$data/es.pid" 2>/dev/null || true)"
    local here; here="$(curl -fsS -m 2 "http://127.0.0.1:$ES_PORT/_nodes/_local/process?filter_path=nodes.*.process.id" 2>/dev/null || true)"
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null || grep -q "\"id\":$pid}" <<<"$here"; then
      found=1; stop_pid "$pid"; rm -rf "$data" "$LEGACY_STATE_DIR/data_dir" "$LEGACY_STATE_DIR/pid"
    fi
  fi
  for dir in "$STATE_DIR"/node-*; do
    [ -d "$dir" ] || continue
    found=1
    stop_pid "$(cat "$dir/pid" 2>/dev/null || true)"
    rm -rf "$(cat "$dir/data_dir" 2>/dev/null || echo /nonexistent)" "$dir"
  done
  rmdir "$STATE_DIR" 2>/dev/null || true
  [ "$found" = 1 ] || log "nothing started by this script on port $ES_PORT"
}

# SIGKILL: the node dies at once, as in a crash or an OOM kill; its data stays, so start-node can bring it back.
kill_node() {
  local i="${1:?usage: es.sh kill <node index>}" pid; pid="$(node_pid "$i")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || { log "node $i is not running"; exit 1; }
  kill -9 "$pid"
  log "killed node $i (pid $pid, port $((ES_PORT + i)))"
  echo "$pid"
}

pids() {
  local dir i pid
  for dir in "$STATE_DIR"/node-*; do
    [ -d "$dir" ] || continue
    i="${dir##*-}"; pid="$(node_pid "$i")"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "$i $pid $(cat "$dir/port")"; fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if answers; then curl -fsS "http://127.0.0.1:$ES_PORT/_cat/nodes?v&h=name,http_address,master,heap.percent"; else log "not answering at $ES_URL"; exit 1; fi ;;
  kill) kill_node "${2:-}" ;;
  start-node) launch_node "${2:?usage: es.sh start-node <node index>}" ;;
  pids) pids ;;
  *) echo "usage: $0 start|stop|status|kill <i>|start-node <i>|pids" >&2; exit 2 ;;
esac
