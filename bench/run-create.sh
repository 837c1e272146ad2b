#!/usr/bin/env bash
# ConfigMap creates/s over HTTPS with 64 clients (64 HTTP/1.1 connections, the goal's figure, then one
# HTTP/2 connection as client-go uses) against raw PostgreSQL inserts with 64 connections into the same
# server, in one invocation. Options: CLIENTS, WARMUP (default 15 s per phase), DURATION (seconds),
# PHASES=api (only the API phases, for tuning). Each phase also prints the CPU time per operation spent
# by the control plane, PostgreSQL and the load generator.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
build_control_plane
build_bench
start_postgres
start_redis
start_control_plane
timeout 300 java -cp "$BENCH_CP" io.quarkube.bench.CreateBenchmark --url "$CP_URL" --data-dir "$CP_DATA" \
  --database-url "$DATABASE_URL" --server-pid "$CP_PID" --phases "${PHASES:-all}" --clients "${CLIENTS:-64}" --warmup "${WARMUP:-15}" --duration "${DURATION:-20}"
