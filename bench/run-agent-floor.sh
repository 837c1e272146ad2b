#!/usr/bin/env bash
# The node agent's memory floor in JVM mode: resident memory (VmRSS, after 15 s and three full
# collections) of
#   jvm     the JVM alone, no library;
#   idle    a Quarkus application with the node agent's dependencies (bench/agent-floor), started and waiting;
#   client  the same, having made the first API calls of every agent with the Fabric8 client: a watch of
#           the pods bound to a node, a list of nodes, a write of the node's Lease (against a real
#           control plane started here);
#   agent   the node agent itself (simulated runtime, one node), settled the same way (15 s after its node
#           is Ready, three full collections through jcmd); with the CRI runtime it also loads gRPC's client.
# The first three run none of the agent's own code, so the agent cannot go below them. Each flag set in FLAG_SETS
# (";"-separated; default: bin/quarkube's AGENT_FLAGS, then the same interpreted-only with a 32 MB heap)
# runs ROUNDS (default 2) times, the four programs alternating.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
ROUNDS="${ROUNDS:-2}"
eval "$(sed -n '/^AGENT_FLAGS=(/,/)$/p' "$ROOT/bin/quarkube")"
[[ ${#AGENT_FLAGS[@]} -gt 1 ]] || { say "could not read AGENT_FLAGS from bin/quarkube"; exit 1; }
FLAG_SETS="${FLAG_SETS:-${AGENT_FLAGS[*]};${AGENT_FLAGS[*]} -Xint -Xmx32m}"
FLOOR="$BENCH_DIR/agent-floor"

build_control_plane
build_node_agent
say "building bench/agent-floor"
(cd "$FLOOR" && mvn -o -q package -DskipTests)
start_postgres
start_redis
start_control_plane
KUBECTL=/usr/lib/google-cloud-sdk/bin/kubectl.1.33
export KUBECONFIG="$CP_DATA/admin.kubeconfig"
NODE=floor-agent
java -jar "$ROOT/target/quarkus-app/quarkus-run.jar" kubeconfig --data-dir "$CP_DATA" --node "$NODE" \
  --out "$WORK/node.kubeconfig" --server "$CP_URL" >/dev/null

# agent_rss FLAGS...: the agent's line, as the programs above print theirs.
agent_rss() {
  java "$@" -Dquarkube.agent.pods.root-directory="$WORK/agent" -Dquarkube.agent.pods.log-directory="$WORK/agent/logs" \
    -jar "$AGENT_APP" --kubeconfig "$WORK/node.kubeconfig" --node-name "$NODE" --runtime simulated >"$WORK/agent.log" 2>&1 &
  local pid=$!
  await_node_ready "$NODE" "$pid"
  for _ in 1 2 3; do sleep 5; jcmd "$pid" GC.run >/dev/null; done
  awk '/^(VmRSS|RssAnon|RssFile):/ { sub(":", "", $1); line = line " " $1 "=" int($2 / 1024 + 0.5) "MB" } END { print "rss agent" line }' \
    "/proc/$pid/status"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  "$KUBECTL" delete node "$NODE" --wait=false >/dev/null 2>&1 || true
}

IFS=';' read -r -a sets <<<"$FLAG_SETS"
for flags in "${sets[@]}"; do
  read -r -a flag_list <<<"$flags"
  say "JVM flags: $flags"
  for round in $(seq 1 "$ROUNDS"); do
    java "${flag_list[@]}" -cp "$FLOOR/target/classes" io.quarkube.bench.floor.Rss | grep '^rss '
    java "${flag_list[@]}" -jar "$FLOOR/target/quarkus-app/quarkus-run.jar" idle | grep '^rss '
    java "${flag_list[@]}" -jar "$FLOOR/target/quarkus-app/quarkus-run.jar" client "$CP_DATA/admin.kubeconfig" | grep '^rss '
    agent_rss "${flag_list[@]}"
  done
done
