#!/usr/bin/env bash
# A Deployment of REPLICAS (default 1000) pods on NODES (default 100) simulated nodes, all run by one node agent
# (--runtime simulated --simulate-nodes NODES): the time from the create request until the Deployment's status says
# every replica is ready, then from a new image (a strategic merge patch, as kubectl set image sends) until the
# rollout is complete (what kubectl rollout status waits for), both seen on a watch of the Deployment. Also the CPU
# the control plane and the agent spent in each phase.
# Starts its own PostgreSQL, Redis, control plane (with its own data directory) and agent; stops all of them.
# AGENT_JAVA_FLAGS replaces the agent's JVM flags (default: the flags bin/quarkube runs it with); CP_JAVA_OPTS the
# control plane's; AGENT_SETTINGS adds agent properties (e.g. "-Dquarkube.agent.pods.workers=64": pods synchronized at
# once over all simulated nodes, 8 by default); KEEP_LOGS=DIR keeps the control plane's and the agent's logs;
# JFR_DIR=DIR records both with Java Flight Recorder (profile settings) into DIR/control-plane.jfr and DIR/agent.jfr.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
REPLICAS="${REPLICAS:-1000}"
NODES="${NODES:-100}"
NODE_PREFIX=bench-sim
eval "$(sed -n '/^AGENT_FLAGS=(/,/)$/p' "$ROOT/bin/quarkube")"
[[ ${#AGENT_FLAGS[@]} -gt 1 ]] || { say "could not read AGENT_FLAGS from bin/quarkube"; exit 1; }
if [[ -n "${AGENT_JAVA_FLAGS+x}" ]]; then read -r -a AGENT_FLAGS <<<"$AGENT_JAVA_FLAGS"; fi

deploy_cleanup() {
  if [[ -n "${JFR_DIR:-}" ]]; then
    mkdir -p "$JFR_DIR"
    [[ -n "${CP_PID:-}" ]] && jcmd "$CP_PID" JFR.dump name=bench filename="$JFR_DIR/control-plane.jfr" >/dev/null 2>&1 || true
    [[ -n "${AGENT_PID:-}" ]] && jcmd "$AGENT_PID" JFR.dump name=bench filename="$JFR_DIR/agent.jfr" >/dev/null 2>&1 || true
  fi
  if [[ -n "${KEEP_LOGS:-}" ]]; then
    mkdir -p "$KEEP_LOGS"
    cp "$WORK/control-plane.log" "$WORK/agent.log" "$KEEP_LOGS/" 2>/dev/null || true
  fi
  cleanup
}
trap deploy_cleanup EXIT

JFR_FLAGS=()
if [[ -n "${JFR_DIR:-}" ]]; then
  JFR_FLAGS=(-XX:StartFlightRecording=name=bench,settings=profile)
  CP_JAVA_OPTS="${CP_JAVA_OPTS:-} ${JFR_FLAGS[*]}"
fi
build_control_plane
build_node_agent
build_bench
start_postgres
start_redis
start_control_plane
java -jar "$ROOT/target/quarkus-app/quarkus-run.jar" kubeconfig --data-dir "$CP_DATA" --node "$NODE_PREFIX" \
  --out "$WORK/node.kubeconfig" --server "$CP_URL" >/dev/null
read -r -a AGENT_SETTING_LIST <<<"${AGENT_SETTINGS:-}"
java "${AGENT_FLAGS[@]}" "${JFR_FLAGS[@]}" "${AGENT_SETTING_LIST[@]}" -Dquarkube.agent.pods.root-directory="$WORK/agent" -Dquarkube.agent.pods.log-directory="$WORK/agent/logs" \
  -jar "$AGENT_APP" --kubeconfig "$WORK/node.kubeconfig" --node-name "$NODE_PREFIX" \
  --runtime simulated --simulate-nodes "$NODES" >"$WORK/agent.log" 2>&1 &
AGENT_PID=$!
STARTED_PIDS=("$AGENT_PID" "${STARTED_PIDS[@]}")
say "agent running $NODES simulated nodes (pid $AGENT_PID); a Deployment of $REPLICAS replicas"
timeout 1500 java -cp "$BENCH_CP" io.quarkube.bench.DeployBenchmark --url "$CP_URL" --data-dir "$CP_DATA" \
  --replicas "$REPLICAS" --nodes "$NODES" --server-pid "$CP_PID" --agent-pid "$AGENT_PID" --timeout "${TIMEOUT:-600}"
