#!/usr/bin/env bash
# Service proxy rule sync: SERVICES (default 1000) ClusterIP Services × ENDPOINTS (default 10) ready endpoints,
# turned into iptables rules by the node agent's own generator and written by its own applier (iptables-restore
# --noflush into this host's nat and filter tables, nf_tables backend): a full sync (every chain) and an
# incremental sync after one endpoint of one service changed (kube-proxy's partial sync: changed chains and the
# dispatch chains only), ROUNDS (default 5) times each, medians printed. The rules use chain prefixes of the run's
# own (QUARKUBE-B<hex>, QK-B<hex>) and addresses outside the pod network; they are removed at the end.
# Needs root and iptables. No control plane is started: the time from a pod turning Ready to traffic reaching it
# needs the EndpointSlice controller and is measured by bench/run-svc-ready.sh.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
SERVICES="${SERVICES:-1000}"
ENDPOINTS="${ENDPOINTS:-10}"
ROUNDS="${ROUNDS:-5}"

[[ $(id -u) == 0 ]] || { say "needs root (iptables)"; exit 1; }
AGENT_JAR="$M2/io/quarkube/quarkube-node-agent/0.1.0-SNAPSHOT/quarkube-node-agent-0.1.0-SNAPSHOT.jar"
if [[ ! -f "$AGENT_JAR" || ! -f "$ROOT/node-agent/target/quarkus-app/quarkus-run.jar" ]] \
    || [[ -n "$(find "$ROOT/node-agent/pom.xml" "$ROOT/node-agent/src/main" -newer "$AGENT_JAR" -print -quit)" ]]; then
  say "installing the node agent (also packages node-agent/target/quarkus-app)"
  (cd "$ROOT/node-agent" && mvn -o -q install -DskipTests)
fi
say "building the benchmark programs (profile proxy)"
(cd "$BENCH_DIR" && mvn -o -q package -DskipTests -Pproxy)
AGENT_APP_DIR="$ROOT/node-agent/target/quarkus-app"
BENCH_CP="$BENCH_DIR/target/classes:$AGENT_APP_DIR/app/*:$AGENT_APP_DIR/lib/main/*:$AGENT_APP_DIR/lib/boot/*"

say "$(iptables --version); $SERVICES services x $ENDPOINTS endpoints, $ROUNDS rounds"
java -cp "$BENCH_CP" io.quarkube.bench.ProxySyncBenchmark --services "$SERVICES" --endpoints "$ENDPOINTS" --rounds "$ROUNDS"
