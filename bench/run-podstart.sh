#!/usr/bin/env bash
# Pod startup on containerd: PODS (default 100) pods with spec.nodeName set, created through the API
# CONCURRENCY (default 10) at a time, each timed from its create request to Running and Ready seen by a
# watch; baseline in the same run against the same containerd: the raw CRI calls RunPodSandbox +
# CreateContainer + StartContainer for the same pods (the requests the agent builds), as many at a time.
# Each path first starts WARMUP (default CONCURRENCY) pods that are not counted (then removed): the first
# requests of the freshly started control plane and runtime load and compile their code.
# Also the node agent's RSS after start (node Ready) for several JVM flag sets, and with the pods running
# for AGENT_JAVA_FLAGS (default: the flags bin/quarkube runs the agent with).
# Starts its own containerd (node-agent/testing/containerd-up.sh, under the run's scratch directory),
# PostgreSQL, Redis, the control plane and the agent; stops and removes all of them, pods included.
# Needs root, containerd, runc and the CNI plugins (see node-agent/testing/). RSS_FLAG_SETS (";"-separated)
# replaces the JVM flag sets measured at start (a set with -XX:NativeMemoryTracking also prints where the memory
# goes), RSS_ONLY=1 stops after them, KEEP_AGENT_LOG=FILE keeps the agent's log.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
PODS="${PODS:-100}"
CONCURRENCY="${CONCURRENCY:-10}"
WARMUP="${WARMUP:-$CONCURRENCY}"
NODE=bench-node
# The agent's JVM flags as bin/quarkube runs it (AGENT_FLAGS there).
eval "$(sed -n '/^AGENT_FLAGS=(/,/)$/p' "$ROOT/bin/quarkube")"
[[ ${#AGENT_FLAGS[@]} -gt 1 ]] || { say "could not read AGENT_FLAGS from bin/quarkube"; exit 1; }
LEAN_FLAGS=("${AGENT_FLAGS[@]}")
if [[ -n "${AGENT_JAVA_FLAGS+x}" ]]; then read -r -a AGENT_FLAG_LIST <<<"$AGENT_JAVA_FLAGS"; else AGENT_FLAG_LIST=("${LEAN_FLAGS[@]}"); fi
CONTAINERD_DIR="$WORK/containerd"
CGROUP_ROOT=quarkube-bench
AGENT_PID=""

stop_agent() {
  if [[ -n "$AGENT_PID" ]]; then
    kill -TERM "$AGENT_PID" 2>/dev/null || true
    ( sleep 20; kill -KILL "$AGENT_PID" 2>/dev/null ) &
    local watchdog=$!
    wait "$AGENT_PID" 2>/dev/null || true
    kill "$watchdog" 2>/dev/null || true
    AGENT_PID=""
  fi
}

podstart_cleanup() {
  stop_agent
  [[ -n "${KEEP_AGENT_LOG:-}" && -f "$WORK/agent.log" ]] && cp "$WORK/agent.log" "$KEEP_AGENT_LOG"
  if [[ -S "$CONTAINERD_DIR/containerd.sock" && -n "${BENCH_CP:-}" ]]; then
    java -cp "$BENCH_CP" io.quarkube.bench.PodStartBenchmark --remove-all-sandboxes true \
      --cri-socket "$CONTAINERD_DIR/containerd.sock" >&2 || true
  fi
  [[ -d "$CONTAINERD_DIR" ]] && "$ROOT/node-agent/testing/containerd-down.sh" "$CONTAINERD_DIR" >&2 || true
  # cgroups containerd leaves behind (empty ones only; rmdir fails on a cgroup in use)
  find /sys/fs/cgroup/*/"$CGROUP_ROOT" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  cleanup
}
trap podstart_cleanup EXIT

build_control_plane
AGENT_JAR="$M2/io/quarkube/quarkube-node-agent/0.1.0-SNAPSHOT/quarkube-node-agent-0.1.0-SNAPSHOT.jar"
if [[ ! -f "$AGENT_JAR" || ! -f "$ROOT/node-agent/target/quarkus-app/quarkus-run.jar" ]] \
    || [[ -n "$(find "$ROOT/node-agent/pom.xml" "$ROOT/node-agent/src/main" -newer "$AGENT_JAR" -print -quit)" ]]; then
  say "installing the node agent (also packages node-agent/target/quarkus-app)"
  (cd "$ROOT/node-agent" && mvn -o -q install -DskipTests)
fi
say "building the benchmark programs (profile podstart)"
(cd "$BENCH_DIR" && mvn -o -q package -DskipTests -Ppodstart)
AGENT_APP_DIR="$ROOT/node-agent/target/quarkus-app"
BENCH_CP="$BENCH_DIR/target/classes:$AGENT_APP_DIR/app/*:$AGENT_APP_DIR/lib/main/*:$AGENT_APP_DIR/lib/boot/*"

say "containerd $(containerd --version | awk '{print $3}') under $CONTAINERD_DIR"
SOCKET=$("$ROOT/node-agent/testing/containerd-up.sh" "$CONTAINERD_DIR" | tail -n 1)
start_postgres
start_redis
start_control_plane
KUBECTL=/usr/lib/google-cloud-sdk/bin/kubectl.1.33
export KUBECONFIG="$CP_DATA/admin.kubeconfig"
java -jar "$ROOT/target/quarkus-app/quarkus-run.jar" kubeconfig --data-dir "$CP_DATA" --node "$NODE" \
  --out "$WORK/node.kubeconfig" --server "$CP_URL" >/dev/null

rss_mb() { awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }

# start_agent FLAGS...: starts the agent with those JVM flags and waits until its node is Ready.
start_agent() {
  java "$@" -Dquarkube.agent.pods.root-directory="$WORK/agent" -Dquarkube.agent.pods.log-directory="$WORK/agent/logs" \
    -Dquarkube.agent.pods.cgroup-root="/$CGROUP_ROOT" \
    -jar "$ROOT/node-agent/target/quarkus-app/quarkus-run.jar" --kubeconfig "$WORK/node.kubeconfig" --node-name "$NODE" \
    --runtime cri --cri-socket "$SOCKET" >>"$WORK/agent.log" 2>&1 &
  AGENT_PID=$!
  await_node_ready "$NODE" "$AGENT_PID"
}

# RSS after start: node Ready, then 5 s for start-up work (first lease, status) to finish.
say "agent RSS after start (node Ready + 5 s), by JVM flags:"
# RSS_FLAG_SETS (flag sets separated by ";") replaces the list below.
if [[ -n "${RSS_FLAG_SETS:-}" ]]; then
  IFS=';' read -r -a FLAG_SETS <<<"$RSS_FLAG_SETS"
else
  FLAG_SETS=(
    ""
    "-XX:+UseSerialGC"
    "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k"
    "${LEAN_FLAGS[*]}"
    "${LEAN_FLAGS[*]} -Xmx64m"
    "${LEAN_FLAGS[*]} -XX:NativeMemoryTracking=summary"
  )
fi
for flags in "${FLAG_SETS[@]}"; do
  read -r -a flag_list <<<"$flags"
  start_agent "${flag_list[@]}"
  sleep 5
  printf 'agent RSS after start: %4d MB  flags: %s\n' "$(rss_mb "$AGENT_PID")" "${flags:-(none)}"
  if [[ "$flags" == *NativeMemoryTracking* ]]; then
    # Where the memory goes: resident anonymous vs file-backed pages, threads, loaded classes, the JVM's own accounting.
    grep -E '^(RssAnon|RssFile|Threads):' "/proc/$AGENT_PID/status" | tr -s ' \t' ' ' | sed 's/^/  /'
    jcmd "$AGENT_PID" PerfCounter.print | grep -E 'java.cls.(loadedClasses|sharedLoadedClasses)=' | sed 's/^/  /'
    jcmd "$AGENT_PID" Thread.print | sed -n 's/^"\([^"]*\)".*/\1/p' | sed 's/[-#]*[0-9]*$//' | sort | uniq -c | sort -rn \
      | awk '{ n = $1; $1 = ""; sub(/^ /, ""); printf "%s%s x%d", (NR > 1 ? ", " : "  threads: "), $0, n } END { print "" }'
    jcmd "$AGENT_PID" GC.heap_info | grep -E 'total|used' | sed 's/^/  /'
    jcmd "$AGENT_PID" VM.native_memory summary | grep -E "committed=" | sed 's/^/  /'
  fi
  stop_agent
done
[[ "${RSS_ONLY:-0}" == 1 ]] && exit 0

say "pod start: $PODS pods, $CONCURRENCY at a time; agent flags: ${AGENT_FLAG_LIST[*]}"
start_agent "${AGENT_FLAG_LIST[@]}"
sleep 5
printf 'agent RSS after start: %d MB\n' "$(rss_mb "$AGENT_PID")"
java -cp "$BENCH_CP" io.quarkube.bench.PodStartBenchmark --kubeconfig "$KUBECONFIG" --cri-socket "$SOCKET" \
  --node "$NODE" --image quarkube.test/busybox:1 --pods "$PODS" --concurrency "$CONCURRENCY" --warmup "$WARMUP" \
  --log-root "$WORK/raw-logs" --cgroup-root "/$CGROUP_ROOT" --agent-pid "$AGENT_PID"
