package io.quarkube.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * ConfigMap creates per second through the API against raw single-row inserts into the same
 * PostgreSQL server, both with the same number of concurrent clients. The raw baseline runs before
 * and after the API phase; the ratio uses their mean.
 */
public final class CreateBenchmark {

    private static final String NAMESPACE = "bench-create";

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String url = args.get("url");
        Path dataDir = Path.of(args.get("data-dir"));
        int clients = args.getInt("clients", 64);
        long serverPid = Long.parseLong(args.get("server-pid", "0"));
        // "api" runs only the API phase: quicker when comparing the server's CPU per create while tuning.
        boolean baselines = !"api".equals(args.get("phases", "all"));
        ClosedLoop loop = new ClosedLoop(clients, Duration.ofSeconds(args.getInt("warmup", 5)),
                Duration.ofSeconds(args.getInt("duration", 20)));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try {
            // Two raw baselines: the client's default (each insert parsed and planned, the figure the
            // design notes quote) and prepared statements cached per connection (as the control plane
            // runs its own statements).
            Pool planned = Pool.pool(vertx, PgConnectOptions.fromUri(args.get("database-url")),
                    new io.vertx.sqlclient.PoolOptions().setMaxSize(clients));
            Pool prepared = Pool.pool(vertx, PgConnectOptions.fromUri(args.get("database-url")).setCachePreparedStatements(true),
                    new io.vertx.sqlclient.PoolOptions().setMaxSize(clients));
            await(planned.query("CREATE TABLE bench_insert (name text PRIMARY KEY, value text NOT NULL)").execute());

            ClosedLoop.Result plannedBefore = null;
            ClosedLoop.Result preparedBefore = null;
            if (baselines) {
                plannedBefore = rawInserts(loop, planned, "a", 0);
                preparedBefore = rawInserts(loop, prepared, "b", 0);
            }

            HttpClient api = vertx.createHttpClient(ClusterTls.adminClient(dataDir).setDefaultPort(0),
                    new PoolOptions().setHttp1MaxSize(clients));
            java.net.URI base = java.net.URI.create(url);
            RequestOptions target = new RequestOptions().setHost(base.getHost()).setPort(base.getPort());
            int status = await(post(api, target, "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NAMESPACE + "\"}}"));
            if (status != 201 && status != 409) {
                throw new IllegalStateException("creating the namespace answered " + status);
            }
            ClosedLoop.Result creates = creates(loop, api, target, "h1-", "ConfigMap creates over HTTPS, HTTP/1.1, " + clients
                    + " connections", serverPid);
            // client-go (kubectl, controllers, operators) talks to an API server over one HTTP/2 connection,
            // which one event loop of the server serves: a figure for comparison, not the goal's
            HttpClient h2 = vertx.createHttpClient(ClusterTls.adminClient(dataDir).setDefaultPort(0)
                    .setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true), new PoolOptions().setHttp2MaxSize(1));
            ClosedLoop.Result http2 = creates(loop, h2, target, "h2-", "ConfigMap creates over HTTPS, HTTP/2, one connection",
                    serverPid);

            if (!baselines) {
                System.out.printf("RESULT creates/s HTTP/1.1 %.0f, HTTP/2 %.0f; create p99 HTTP/1.1 %.1f ms, HTTP/2 %.1f ms%n",
                        creates.perSecond(), http2.perSecond(), creates.latencies().percentileMillis(99),
                        http2.latencies().percentileMillis(99));
                return;
            }
            ClosedLoop.Result preparedAfter = rawInserts(loop, prepared, "c", 0);
            ClosedLoop.Result plannedAfter = rawInserts(loop, planned, "d", 0);

            double plannedRate = (plannedBefore.perSecond() + plannedAfter.perSecond()) / 2;
            double preparedRate = (preparedBefore.perSecond() + preparedAfter.perSecond()) / 2;
            double p99 = creates.latencies().percentileMillis(99);
            System.out.printf("RESULT creates/s %.0f; raw inserts/s planned each time %.0f (ratio %.2f, goal >= 0.5: %s), "
                    + "prepared %.0f (ratio %.2f); create p99 %.1f ms (goal <= 50 ms: %s)%n", creates.perSecond(),
                    plannedRate, creates.perSecond() / plannedRate, creates.perSecond() / plannedRate >= 0.5 ? "met" : "NOT met",
                    preparedRate, creates.perSecond() / preparedRate, p99, p99 <= 50 ? "met" : "NOT met");
        } finally {
            await(vertx.close());
        }
    }

    private static ClosedLoop.Result creates(ClosedLoop loop, HttpClient client, RequestOptions target, String prefix,
            String what, long serverPid) {
        AtomicReference<Integer> lastFailure = new AtomicReference<>();
        CpuMeter cpu = CpuMeter.start(serverPid);
        ClosedLoop.Result creates = loop.run(seq -> post(client, target, "/api/v1/namespaces/" + NAMESPACE + "/configmaps",
                configMap(prefix + seq)).map(code -> {
                    if (code != 201) {
                        lastFailure.set(code);
                    }
                    return code == 201;
                }));
        report(what, creates);
        System.out.println("  " + cpu.perOperation(creates.started()));
        if (lastFailure.get() != null) {
            System.out.println("  a failed create answered HTTP " + lastFailure.get());
        }
        return creates;
    }

    private static final java.util.Map<String, String> RAW_PHASES = java.util.Map.of(
            "a", "PostgreSQL inserts, planned each time (before)", "b", "PostgreSQL inserts, prepared (before)",
            "c", "PostgreSQL inserts, prepared (after)", "d", "PostgreSQL inserts, planned each time (after)");

    private static ClosedLoop.Result rawInserts(ClosedLoop loop, Pool pg, String prefix, long serverPid) {
        CpuMeter cpu = CpuMeter.start(serverPid);
        ClosedLoop.Result result = loop.run(seq -> pg.preparedQuery("INSERT INTO bench_insert (name, value) VALUES ($1, $2)")
                .execute(Tuple.of(prefix + seq, configMap("cm-" + seq))).map(rows -> rows.rowCount() == 1));
        report(RAW_PHASES.get(prefix), result);
        System.out.println("  " + cpu.perOperation(result.started()));
        return result;
    }

    /** A ConfigMap of the size small applications store (about 300 bytes). */
    static String configMap(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"app\":\"bench\",\"tier\":\"backend\"}},\"data\":{\"settings.properties\":"
                + "\"log.level=info\\nfeature.enabled=true\\ncache.size=1024\\n\",\"mode\":\"benchmark\"}}";
    }

    private static Future<Integer> post(HttpClient client, RequestOptions target, String path, String json) {
        return client.request(new RequestOptions(target).setMethod(HttpMethod.POST).setURI(path)
                        .putHeader("Content-Type", "application/json"))
                .compose(request -> request.send(Buffer.buffer(json)))
                .compose(response -> response.body().map(body -> response.statusCode()));
    }

    private static void report(String what, ClosedLoop.Result result) {
        System.out.printf("%s: %.0f/s over %.0f s, %d failures; latency %s%n", what, result.perSecond(),
                result.seconds(), result.failures(), result.latencies().summary());
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get();
    }
}
