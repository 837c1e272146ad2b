#!/usr/bin/env bash
# Control-plane start: process launch -> first 200 on /readyz, and RSS then, with PostgreSQL and
# Redis already up; median of RUNS (default 5) after one warm-up start. Variants, in one invocation:
#   JDK 17 as bin/quarkube runs it (-XX:TieredStopAtLevel=1 -XX:+UseSerialGC);
#   JDK 25 with the same flags, no cache;
#   JDK 25 with a Leyden AOT cache: built with -Paot (aot-jar packaging) and trained by one start
#   plus a few typical requests (see train_aot_cache). Set AOT=0 to skip the JDK 25 variants.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
JDK25="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
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

curl_ok() { curl "$@" || true; } # the short watch ends by timeout; any answer is training enough

# One start with -XX:AOTCacheOutput, a few requests like a client's first minute (discovery, list,
# create, get, patch, a short watch), then a normal stop: the JVM writes the cache as it exits.
train_aot_cache() {
  local app="$1" api="https://127.0.0.1:$PORT"
  (cd "$app" && exec "$JDK25/bin/java" -XX:AOTCacheOutput=app.aot $FLAGS "${APP_ARGS[@]}" -jar quarkus-run.jar \
    >"$WORK/aot-training.log" 2>&1) &
  local pid=$!
  STARTED_PIDS=("$pid" "${STARTED_PIDS[@]}")
  until curl -sfk "$api/readyz" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$WORK/aot-training.log" >&2; exit 1; }
    sleep 0.1
  done
  local c=(curl_ok -s -o /dev/null --cacert "$DATA/ca.crt" --cert "$DATA/admin.crt" --key "$DATA/admin.key")
  for path in /version /api /apis /api/v1 /apis/apps/v1 /openapi/v2 /api/v1/namespaces /api/v1/namespaces/default/configmaps; do
    "${c[@]}" "$api$path"
  done
  "${c[@]}" -X POST -H 'Content-Type: application/json' "$api/api/v1/namespaces/default/configmaps" \
    -d '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"aot-training"},"data":{"a":"b"}}'
  "${c[@]}" "$api/api/v1/namespaces/default/configmaps/aot-training"
  "${c[@]}" -X PATCH -H 'Content-Type: application/merge-patch+json' "$api/api/v1/namespaces/default/configmaps/aot-training" -d '{"data":{"a":"c"}}'
  "${c[@]}" "$api/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1"
  "${c[@]}" -X DELETE "$api/api/v1/namespaces/default/configmaps/aot-training"
  kill -TERM "$pid"
  wait "$pid" || true
  [[ -f "$app/app.aot" ]] || { tail -n 30 "$WORK/aot-training.log" >&2; say "no AOT cache written"; exit 1; }
  say "AOT cache: $(du -h "$app/app.aot" | cut -f1)"
}

measure "JDK 17, fast-jar, C1 + SerialGC" "$ROOT/target/quarkus-app" java $FLAGS

if [[ "${AOT:-1}" == 1 && -x "$JDK25/bin/java" ]]; then
  say "building the aot-jar with JDK 25 in a copy of the tree"
  mkdir -p "$WORK/aot-src"
  cp -r "$ROOT/pom.xml" "$ROOT/src" "$WORK/aot-src/"
  (cd "$WORK/aot-src" && JAVA_HOME="$JDK25" PATH="$JDK25/bin:$PATH" mvn -o -q -Paot package -DskipTests 2>&1 | grep -v '^WARNING' || true)
  AOT_APP="$WORK/aot-src/target/quarkus-app"
  measure "JDK 25, aot-jar, no cache, C1 + SerialGC" "$AOT_APP" "$JDK25/bin/java" $FLAGS
  train_aot_cache "$AOT_APP"
  measure "JDK 25, aot-jar + AOT cache, C1 + SerialGC" "$AOT_APP" "$JDK25/bin/java" -XX:AOTCache=app.aot -XX:AOTMode=on $FLAGS
fi
