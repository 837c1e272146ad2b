#!/usr/bin/env bash
# Write->event latency with 100 and 1,000 open watches on the control plane and on a do-nothing
# streaming server, in one invocation. Options: WATCHERS (list), RATE (writes/s), WARMUP, DURATION (seconds),
# WARMUP_WRITES (back-to-back unmeasured writes first; default 300,000 events' worth: 3,000 at 100 watches).
# At 10 writes/s a p99 rests on few writes (each reaches every watcher at once): 300 writes measured after
# the back-to-back ones and 100 paced ones, so that neither one slow write nor code the JIT has not yet
# compiled (in either server, or in the load tool) decides it.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
build_control_plane
build_bench
start_postgres
start_redis
start_control_plane
BASELINE_PORT=$(free_port)
# the baseline server runs with the same JVM options as the control plane
java ${CP_JAVA_OPTS:-} -cp "$BENCH_CP" io.quarkube.bench.StreamBaselineServer \
  --data-dir "$CP_DATA" --port "$BASELINE_PORT" >"$WORK/baseline.log" 2>&1 &
STARTED_PIDS=("$!" "${STARTED_PIDS[@]}")
until curl -sfk "https://127.0.0.1:$BASELINE_PORT/readyz" >/dev/null 2>&1; do sleep 0.1; done
# 1,000 watches need 1,000 connections on each side
ulimit -n 65536 2>/dev/null || true
timeout 400 java -cp "$BENCH_CP" io.quarkube.bench.WatchBenchmark --url "$CP_URL" \
  --baseline-url "https://127.0.0.1:$BASELINE_PORT" --data-dir "$CP_DATA" --watchers "${WATCHERS:-100,1000}" \
  --rate "${RATE:-10}" --warmup "${WARMUP:-10}" --duration "${DURATION:-30}" --warmup-writes "${WARMUP_WRITES:--1}"
