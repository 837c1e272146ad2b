#!/usr/bin/env bash
# Scheduler throughput: one node agent process keeps NODES (default 1000) simulated nodes
# (--runtime simulated --simulate-nodes), then PODS (default "10000,30000": one batch each, in its own
# namespace, earlier batches left in place) pending pods with small requests are created through the API,
# CONCURRENCY (default 64) at a time, and a watch times their bindings. Prints pods scheduled per second
# (first to last binding) and the time from the first create to the last binding, with the control
# plane's CPU per pod. The agent runs the bound pods, as a cluster's kubelets would, so its status
# writes share the machine with the scheduler. Starts its own PostgreSQL, Redis, control plane (data
# dir under the run's scratch directory) and agent; stops and removes them. CP_JAVA_OPTS adds JVM flags
# to the control plane (e.g. -XX:StartFlightRecording=filename=/tmp/schedule.jfr to profile it).
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
NODES="${NODES:-1000}"
PODS="${PODS:-10000,30000}"
CONCURRENCY="${CONCURRENCY:-64}"
# The agent's JVM flags as bin/quarkube runs it (AGENT_FLAGS there).
eval "$(sed -n '/^AGENT_FLAGS=(/,/)$/p' "$ROOT/bin/quarkube")"
[[ ${#AGENT_FLAGS[@]} -gt 1 ]] || { say "could not read AGENT_FLAGS from bin/quarkube"; exit 1; }

build_control_plane
build_node_agent
build_bench
start_postgres
start_redis
start_control_plane
java -jar "$ROOT/target/quarkus-app/quarkus-run.jar" kubeconfig --data-dir "$CP_DATA" --node sim \
  --out "$WORK/node.kubeconfig" --server "$CP_URL" >/dev/null

say "node agent with $NODES simulated nodes"
java "${AGENT_FLAGS[@]}" -Dquarkube.agent.pods.root-directory="$WORK/agent" -Dquarkube.agent.pods.log-directory="$WORK/agent/logs" \
  -jar "$AGENT_APP" --kubeconfig "$WORK/node.kubeconfig" --node-name sim \
  --runtime simulated --simulate-nodes "$NODES" >"$WORK/agent.log" 2>&1 &
# stopped before the control plane
STARTED_PIDS=("$!" "${STARTED_PIDS[@]}")

say "scheduling batches of $PODS pods onto $NODES nodes, $CONCURRENCY creates in flight"
timeout 3600 java -cp "$BENCH_CP" io.quarkube.bench.ScheduleBenchmark --url "$CP_URL" --data-dir "$CP_DATA" \
  --server-pid "$CP_PID" --nodes "$NODES" --pods "$PODS" --concurrency "$CONCURRENCY" \
  || { tail -n 30 "$WORK/control-plane.log" >&2; tail -n 30 "$WORK/agent.log" >&2; exit 1; }
