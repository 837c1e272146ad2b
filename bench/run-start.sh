#!/usr/bin/env bash
# Control-plane start: process launch -> first 200 on /readyz, and RSS then, with PostgreSQL and
# Redis already up; median of RUNS (default 5) after one warm-up start. Variants, in one invocation:
#   JDK 17 as bin/quarkube runs it by default (no JVM flags: all JIT tiers, the default collector);
#   JDK 17 with the flags of bin/quarkube --fast-start (FAST_START_FLAGS, read from the launcher);
#   JDK 25 as bin/quarkube --fast-start runs it: the aot-jar (mvn -Paot, target/aot) with the Leyden
#   AOT cache that `bin/quarkube aot-cache` trains (one start plus a client's first requests), and
#   the same flags; also the same aot-jar without the cache, for comparison.
# Set AOT=0 to skip the JDK 25 variants.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
JDK25="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
eval "$(grep '^FAST_START_FLAGS=' "$ROOT/bin/quarkube")"
build_control_plane
build_bench
start_postgres
start_redis
export QUARKUBE_DATABASE_URL="$DATABASE_URL" QUARKUBE_REDIS_URL="$REDIS_URL" QUARKUS_DATASOURCE_USERNAME=postgres
DATA="$WORK/data"
PORT=$(free_port)
APP_ARGS=(-Dquarkube.data-dir="$DATA" -Dquarkube.port="$PORT" -Dquarkube.bind=127.0.0.1)

measure() { # label app-dir java [jvm flags...]
  local label="$1" app="$2"
  shift 2
  (cd "$app" && timeout 600 java -Djdk.internal.httpclient.disableHostnameVerification=true -cp "$BENCH_CP" \
    io.quarkube.bench.StartBenchmark --label "$label" --url "https://127.0.0.1:$PORT" --runs "${RUNS:-5}" \
    --log "$WORK/start-$RANDOM.log" -- "$@" "${APP_ARGS[@]}" -jar quarkus-run.jar)
}

say "JDK 17: $(java -version 2>&1 | head -1); fast-start flags: ${FAST_START_FLAGS[*]}"
measure "JDK 17, fast-jar, default flags (bin/quarkube server)" "$ROOT/target/quarkus-app" java
measure "JDK 17, fast-jar, ${FAST_START_FLAGS[*]} (bin/quarkube server --fast-start without a JDK 25)" \
  "$ROOT/target/quarkus-app" java "${FAST_START_FLAGS[@]}"

if [[ "${AOT:-1}" == 1 && -x "$JDK25/bin/java" ]]; then
  # Builds target/aot with JDK 25 and trains its cache against the storage above, as the launcher does.
  say "building the aot-jar and training its AOT cache (bin/quarkube aot-cache)"
  QUARKUBE_JDK25="$JDK25" "$ROOT/bin/quarkube" aot-cache
  AOT_APP="$ROOT/target/aot/quarkus-app"
  measure "JDK 25, aot-jar, no cache, ${FAST_START_FLAGS[*]}" "$AOT_APP" "$JDK25/bin/java" "${FAST_START_FLAGS[@]}"
  # AOTMode=on fails instead of silently starting without a cache that does not match.
  measure "JDK 25, aot-jar + trained AOT cache, ${FAST_START_FLAGS[*]} (bin/quarkube server --fast-start)" \
    "$AOT_APP" "$JDK25/bin/java" -XX:AOTCache=app.aot -XX:AOTMode=on "${FAST_START_FLAGS[@]}"
fi
