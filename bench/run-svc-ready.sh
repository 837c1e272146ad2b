#!/usr/bin/env bash
# Pod Ready → traffic reaching it through its Service, on containerd: SAMPLES (default 20) pods, one after another,
# each alone behind one ClusterIP Service; from the watch event showing the pod Ready to the first HTTP answer from
# it through the ClusterIP, asked from this host every millisecond (io.quarkube.bench.ServiceReadyBenchmark).
# Everything as in production: the control plane's EndpointSlice controller writes the slices, the node agent
# (runtime cri, its default proxy settings, e.g. min-sync-interval 1s) programs iptables. The agent's chains use
# prefixes of the run's own (QUARKUBE-R<hex>, QK-R<hex>) and are removed when it stops (cleanup-on-exit); cluster
# DNS is off and the control plane's kube-dns address is one of the run's own, so no other agent on this host is
# disturbed. Starts its own containerd, PostgreSQL, Redis, control plane and agent; stops and removes all of them.
# Needs root, containerd, runc, iptables and the CNI plugins (see node-agent/testing/).
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
SAMPLES="${SAMPLES:-20}"
NODE=bench-node
CONTAINERD_DIR="$WORK/containerd"
CGROUP_ROOT=quarkube-bench
TAG=$(printf '%04X' $((RANDOM % 65536)))
AGENT_PID=""

[[ $(id -u) == 0 ]] || { say "needs root (containerd, iptables)"; exit 1; }

svc_ready_cleanup() {
  if [[ -n "$AGENT_PID" ]]; then
    kill -TERM "$AGENT_PID" 2>/dev/null || true
    ( sleep 20; kill -KILL "$AGENT_PID" 2>/dev/null ) &
    local watchdog=$!
    wait "$AGENT_PID" 2>/dev/null || true
    kill "$watchdog" 2>/dev/null || true
  fi
  if [[ -S "$CONTAINERD_DIR/containerd.sock" && -n "${BENCH_CP:-}" ]]; then
    java -cp "$BENCH_CP" io.quarkube.bench.PodStartBenchmark --remove-all-sandboxes true \
      --cri-socket "$CONTAINERD_DIR/containerd.sock" >&2 || true
  fi
  [[ -d "$CONTAINERD_DIR" ]] && "$ROOT/node-agent/testing/containerd-down.sh" "$CONTAINERD_DIR" >&2 || true
  find /sys/fs/cgroup/*/"$CGROUP_ROOT" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  cleanup
}
trap svc_ready_cleanup EXIT

build_control_plane
AGENT_JAR="$M2/io/quarkube/quarkube-node-agent/0.1.0-SNAPSHOT/quarkube-node-agent-0.1.0-SNAPSHOT.jar"
if [[ ! -f "$AGENT_JAR" || ! -f "$ROOT/node-agent/target/quarkus-app/quarkus-run.jar" ]] \
    || [[ -n "$(find "$ROOT/node-agent/pom.xml" "$ROOT/node-agent/src/main" -newer "$AGENT_JAR" -print -quit)" ]]; then
  say "installing the node agent (also packages node-agent/target/quarkus-app)"
  (cd "$ROOT/node-agent" && mvn -o -q install -DskipTests)
fi
say "building the benchmark programs (profiles proxy, podstart)"
(cd "$BENCH_DIR" && mvn -o -q package -DskipTests -Pproxy,podstart)
AGENT_APP_DIR="$ROOT/node-agent/target/quarkus-app"
BENCH_CP="$BENCH_DIR/target/classes:$AGENT_APP_DIR/app/*:$AGENT_APP_DIR/lib/main/*:$AGENT_APP_DIR/lib/boot/*"

say "containerd $(containerd --version | awk '{print $3}') under $CONTAINERD_DIR"
SOCKET=$("$ROOT/node-agent/testing/containerd-up.sh" "$CONTAINERD_DIR" | tail -n 1)
start_postgres
start_redis
CP_JAVA_OPTS="${CP_JAVA_OPTS:-} -Dquarkube.services.cluster-dns-ip=10.9$((7 + RANDOM % 3)).$((RANDOM % 256)).$((2 + RANDOM % 248))" \
  start_control_plane
KUBECTL=/usr/lib/google-cloud-sdk/bin/kubectl.1.33
export KUBECONFIG="$CP_DATA/admin.kubeconfig"
java -jar "$ROOT/target/quarkus-app/quarkus-run.jar" kubeconfig --data-dir "$CP_DATA" --node "$NODE" \
  --out "$WORK/node.kubeconfig" --server "$CP_URL" >/dev/null

java -Dquarkube.agent.pods.root-directory="$WORK/agent" -Dquarkube.agent.pods.log-directory="$WORK/agent/logs" \
  -Dquarkube.agent.pods.cgroup-root="/$CGROUP_ROOT" \
  -Dquarkube.agent.proxy.chain-prefix="QUARKUBE-R$TAG" -Dquarkube.agent.proxy.service-chain-prefix="QK-R$TAG" \
  -Dquarkube.agent.proxy.cleanup-on-exit=true -Dquarkube.agent.dns.enabled=false \
  -jar "$AGENT_APP_DIR/quarkus-run.jar" --kubeconfig "$WORK/node.kubeconfig" --node-name "$NODE" \
  --runtime cri --cri-socket "$SOCKET" >>"$WORK/agent.log" 2>&1 &
AGENT_PID=$!
await_node_ready "$NODE" "$AGENT_PID"

say "pod Ready → traffic through the ClusterIP: $SAMPLES samples"
java -cp "$BENCH_CP" io.quarkube.bench.ServiceReadyBenchmark --kubeconfig "$KUBECONFIG" --node "$NODE" \
  --image quarkube.test/busybox:1 --samples "$SAMPLES"
