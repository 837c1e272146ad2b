package io.quarkube.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;

/**
 * Write→event latency with many open watches, on the control plane and on the do-nothing
 * streaming baseline, measured the same way: the writer stamps each change with its own
 * {@link System#nanoTime()} (annotation {@value #STAMP}), and every watcher, in the same process,
 * records the time from that stamp to the line's arrival. The stamp is taken just before the write
 * request is sent, so the figure includes the write itself (for the control plane: admission,
 * the PostgreSQL commit and the watch-cache fan-out).
 */
public final class WatchBenchmark {

    static final String STAMP = "bench.quarkube.io/sent";
    /** Events the unmeasured back-to-back writes produce by default: 3,000 writes at 100 watches, 300 at 1,000. */
    static final int WARMUP_EVENTS = 300_000;
    private static final String STAMP_PREFIX = "\"" + STAMP + "\":\"";
    private static final String NAMESPACE = "bench-watch";
    private static final int OBJECTS = 10;

    /** Where to watch and how to write, for one server. */
    interface Target {
        String name();

        URI base();

        /** Prepares the objects; returns the watch path. */
        Future<String> prepare();

        Future<Integer> write(int sequence, long stamp);
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Path dataDir = Path.of(args.get("data-dir"));
        int rate = args.getInt("rate", 10);
        int warmUpSeconds = args.getInt("warmup", 3);
        int seconds = args.getInt("duration", 15);
        int burstWrites = args.getInt("warmup-writes", -1);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        HttpClient writer = vertx.createHttpClient(ClusterTls.adminClient(dataDir), new PoolOptions().setHttp1MaxSize(4));
        Target quarkube = new ControlPlaneTarget(writer, URI.create(args.get("url")));
        Target baseline = new BaselineTarget(writer, URI.create(args.get("baseline-url")));
        try {
            for (String count : args.get("watchers", "100,1000").split(",")) {
                int watchers = Integer.parseInt(count);
                for (Target target : List.of(baseline, quarkube)) {
                    Latencies latencies = new Latencies();
                    int burst = burstWrites >= 0 ? burstWrites : Math.max(100, WARMUP_EVENTS / watchers);
                    long[] counts = run(vertx, dataDir, target, watchers, rate, burst, warmUpSeconds, seconds, latencies);
                    System.out.printf("%s, %d watches, %d writes/s: write->event %s; %d of %d expected events received%n",
                            target.name(), watchers, rate, latencies.summary(), counts[0], counts[1]);
                    System.out.printf("RESULT %s watches=%d p50=%.2f p99=%.2f%n", target.name().split(" ")[0], watchers,
                            latencies.percentileMillis(50), latencies.percentileMillis(99));
                }
            }
        } finally {
            CreateBenchmark.await(vertx.close());
        }
    }

    /** Opens the watches, writes at a steady rate, and returns {events received, events expected} in the window. */
    private static long[] run(Vertx vertx, Path dataDir, Target target, int watchers, int rate, int burstWrites,
            int warmUpSeconds, int seconds, Latencies latencies) throws Exception {
        String watchPath = CreateBenchmark.await(target.prepare());
        URI uri = target.base();
        HttpClient client = vertx.createHttpClient(ClusterTls.adminClient(dataDir).setMaxPoolSize(watchers),
                new PoolOptions().setHttp1MaxSize(watchers));
        AtomicLong received = new AtomicLong();
        long[] window = new long[2];
        List<Future<HttpClientResponse>> opened = new ArrayList<>();
        for (int i = 0; i < watchers; i++) {
            opened.add(client.request(new RequestOptions().setHost(uri.getHost()).setPort(uri.getPort()).setURI(watchPath))
                    .compose(request -> request.send())
                    .onSuccess(response -> {
                        RecordParser lines = RecordParser.newDelimited("\n", line -> {
                            long now = System.nanoTime();
                            long stamp = stampOf(line);
                            if (stamp >= window[0] && stamp < window[1]) {
                                latencies.record(now - stamp);
                                received.incrementAndGet();
                            }
                        });
                        response.handler(lines);
                    }));
        }
        for (Future<HttpClientResponse> watch : opened) {
            HttpClientResponse response = CreateBenchmark.await(watch);
            if (response.statusCode() != 200) {
                throw new IllegalStateException(target.name() + " watch answered " + response.statusCode());
            }
        }
        // Writes back to back first, unmeasured (their stamps fall before the window), so that the
        // measured ones meet compiled code rather than a path the JIT has seen a hundred times.
        int sequence = 0;
        for (int i = 0; i < burstWrites; i++) {
            CreateBenchmark.await(target.write(sequence++, System.nanoTime()));
        }
        long periodNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        window[0] = start + warmUpSeconds * 1_000_000_000L;
        window[1] = window[0] + seconds * 1_000_000_000L;
        long writesInWindow = 0;
        Latencies writeLatencies = new Latencies();
        for (long next = start; next < window[1]; next += periodNanos) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            long stamp = System.nanoTime();
            if (stamp >= window[0] && stamp < window[1]) {
                writesInWindow++;
            }
            target.write(sequence++, stamp).onComplete(outcome -> {
                if (outcome.failed() || outcome.result() >= 300) {
                    System.out.println("  write failed: " + (outcome.failed() ? outcome.cause() : "HTTP " + outcome.result()));
                } else {
                    writeLatencies.record(System.nanoTime() - stamp);
                }
            });
        }
        Thread.sleep(2000); // lets the last events arrive
        System.out.printf("  (%s, %d watches: the writes themselves took %s)%n", target.name(), watchers, writeLatencies.summary());
        CreateBenchmark.await(client.close());
        return new long[] {received.get(), writesInWindow * watchers};
    }

    private static long stampOf(Buffer line) {
        String text = line.toString();
        int at = text.indexOf(STAMP_PREFIX);
        if (at < 0) {
            return Long.MIN_VALUE;
        }
        int from = at + STAMP_PREFIX.length();
        return Long.parseLong(text, from, text.indexOf('"', from), 10);
    }

    static JsonObject configMap(int index, long stamp) {
        JsonObject cm = new JsonObject(CreateBenchmark.configMap("watched-" + index));
        cm.getJsonObject("metadata").put("annotations", new JsonObject().put(STAMP, Long.toString(stamp)));
        return cm;
    }

    static Future<Integer> send(HttpClient client, URI base, HttpMethod method, String path, String contentType, String body) {
        return client.request(new RequestOptions().setHost(base.getHost()).setPort(base.getPort()).setMethod(method)
                        .setURI(path).putHeader("Content-Type", contentType))
                .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(ignored -> response.statusCode()));
    }

    /** The control plane: a watch on ConfigMaps in one namespace; writes are merge patches of the stamp. */
    record ControlPlaneTarget(HttpClient client, URI base) implements Target {
        public String name() {
            return "quarkube";
        }

        public Future<String> prepare() {
            Future<Integer> ready = send(client, base, HttpMethod.POST, "/api/v1/namespaces", "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NAMESPACE + "\"}}");
            for (int i = 0; i < OBJECTS; i++) {
                int index = i;
                ready = ready.compose(ignored -> send(client, base, HttpMethod.POST, "/api/v1/namespaces/" + NAMESPACE + "/configmaps",
                        "application/json", configMap(index, 0).encode()));
            }
            return ready.compose(ignored -> client.request(new RequestOptions().setHost(base.getHost()).setPort(base.getPort())
                            .setURI("/api/v1/namespaces/" + NAMESPACE + "/configmaps"))
                    .compose(request -> request.send()).compose(HttpClientResponse::body))
                    .map(list -> "/api/v1/namespaces/" + NAMESPACE + "/configmaps?watch=true&timeoutSeconds=600&resourceVersion="
                            + new JsonObject(list).getJsonObject("metadata").getString("resourceVersion"));
        }

        public Future<Integer> write(int sequence, long stamp) {
            String patch = new JsonObject().put("metadata", new JsonObject().put("annotations",
                    new JsonObject().put(STAMP, Long.toString(stamp)))).encode();
            return send(client, base, HttpMethod.PATCH, "/api/v1/namespaces/" + NAMESPACE + "/configmaps/watched-" + (sequence % OBJECTS),
                    "application/merge-patch+json", patch);
        }
    }

    /** The baseline: the same event line, shaped like a watch event of the same ConfigMap. */
    record BaselineTarget(HttpClient client, URI base) implements Target {
        public String name() {
            return "baseline (do-nothing streaming server)";
        }

        public Future<String> prepare() {
            return Future.succeededFuture("/watch");
        }

        public Future<Integer> write(int sequence, long stamp) {
            JsonObject event = new JsonObject().put("type", "MODIFIED").put("object", configMap(sequence % OBJECTS, stamp));
            return send(client, base, HttpMethod.POST, "/publish", "application/json", event.encode());
        }
    }
}
