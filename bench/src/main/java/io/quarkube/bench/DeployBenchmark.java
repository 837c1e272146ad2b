package io.quarkube.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;

/**
 * A Deployment of many replicas on simulated nodes: the time from its create request until its
 * status says every replica is ready, then from a new image until the rollout is complete, both
 * seen on a watch of the Deployment (what {@code kubectl rollout status} reads). Complete means
 * what rollout status waits for: the status observed the latest generation, every replica is
 * updated and available, and no old replica is left. Also the CPU the control plane and the
 * agent spent in each phase.
 */
public final class DeployBenchmark {

    private static final String NAMESPACE = "bench-deploy";
    private static final String NAME = "web";

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Path dataDir = Path.of(args.get("data-dir"));
        URI base = URI.create(args.get("url"));
        int replicas = args.getInt("replicas", 1000);
        int nodes = args.getInt("nodes", 100);
        long serverPid = Long.parseLong(args.get("server-pid", "0"));
        long agentPid = Long.parseLong(args.get("agent-pid", "0"));
        int timeoutSeconds = args.getInt("timeout", 600);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        HttpClient client = vertx.createHttpClient(ClusterTls.adminClient(dataDir));
        try {
            awaitReadyNodes(client, base, nodes, timeoutSeconds);
            expect(201, WatchBenchmark.send(client, base, HttpMethod.POST, "/api/v1/namespaces", "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NAMESPACE + "\"}}"));

            DeploymentWatch watch = DeploymentWatch.open(client, base);
            Phase create = Phase.start(serverPid, agentPid, client, base);
            expect(201, WatchBenchmark.send(client, base, HttpMethod.POST, "/apis/apps/v1/namespaces/" + NAMESPACE + "/deployments",
                    "application/json", deployment(replicas, "nginx:1.27")));
            watch.milestones(create.startNanos, 1, replicas, "ready", s -> s.getInteger("readyReplicas", 0));
            JsonObject ready = watch.await(status -> complete(status, 1, replicas), timeoutSeconds);
            create.report("create -> all " + replicas + " ready", ready, client, base);
            timeline(client, base, create.startMillis, "nginx:1.27");

            Phase rollout = Phase.start(serverPid, agentPid, client, base);
            expect(200, WatchBenchmark.send(client, base, HttpMethod.PATCH, "/apis/apps/v1/namespaces/" + NAMESPACE + "/deployments/" + NAME,
                    "application/strategic-merge-patch+json",
                    "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.28\"}]}}}}"));
            watch.milestones(rollout.startNanos, 2, replicas, "updated", s -> s.getInteger("updatedReplicas", 0));
            JsonObject rolled = watch.await(status -> complete(status, 2, replicas), timeoutSeconds);
            rollout.report("set image -> all " + replicas + " updated and available", rolled, client, base);
            timeline(client, base, rollout.startMillis, "nginx:1.28");
            watch.close();
        } finally {
            CreateBenchmark.await(client.close());
            CreateBenchmark.await(vertx.close());
        }
    }

    /** What {@code kubectl rollout status} waits for, at the given generation. */
    private static boolean complete(JsonObject status, long generation, int replicas) {
        return status.getLong("observedGeneration", 0L) >= generation
                && status.getInteger("updatedReplicas", 0) == replicas
                && status.getInteger("replicas", 0) == replicas
                && status.getInteger("availableReplicas", 0) == replicas
                && status.getInteger("readyReplicas", 0) == replicas;
    }

    private static String deployment(int replicas, String image) {
        return new JsonObject().put("apiVersion", "apps/v1").put("kind", "Deployment")
                .put("metadata", new JsonObject().put("name", NAME))
                .put("spec", new JsonObject().put("replicas", replicas)
                        .put("selector", new JsonObject().put("matchLabels", new JsonObject().put("app", NAME)))
                        .put("template", new JsonObject()
                                .put("metadata", new JsonObject().put("labels", new JsonObject().put("app", NAME)))
                                .put("spec", new JsonObject().put("terminationGracePeriodSeconds", 1)
                                        .put("containers", new io.vertx.core.json.JsonArray().add(new JsonObject()
                                                .put("name", "web").put("image", image))))))
                .encode();
    }

    private static void awaitReadyNodes(HttpClient client, URI base, int nodes, int timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            io.vertx.core.buffer.Buffer body = CreateBenchmark.await(client.request(new RequestOptions().setHost(base.getHost())
                    .setPort(base.getPort()).setURI("/api/v1/nodes")).compose(r -> r.send()).compose(HttpClientResponse::body));
            JsonObject list = new JsonObject(body);
            long ready = list.getJsonArray("items").stream().map(JsonObject.class::cast)
                    .filter(node -> node.getJsonObject("status", new JsonObject()).getJsonArray("conditions", new io.vertx.core.json.JsonArray())
                            .stream().map(JsonObject.class::cast)
                            .anyMatch(c -> "Ready".equals(c.getString("type")) && "True".equals(c.getString("status"))))
                    .count();
            if (ready >= nodes) {
                System.out.printf("%d nodes Ready%n", ready);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + ready + " of " + nodes + " nodes Ready");
            }
            Thread.sleep(500);
        }
    }

    private static void expect(int code, Future<Integer> request) throws Exception {
        int answered = CreateBenchmark.await(request);
        if (answered != code) {
            throw new IllegalStateException("expected HTTP " + code + ", got " + answered);
        }
    }

    /**
     * Where a phase's time went, from the pods' own timestamps (whole seconds): when the ReplicaSet
     * controller created them, when the scheduler bound them, when the agent reported them Ready;
     * the time by which a quarter, half, three quarters and all of them got there.
     */
    private static void timeline(HttpClient client, URI base, long startMillis, String image) throws Exception {
        io.vertx.core.buffer.Buffer body = CreateBenchmark.await(client.request(new RequestOptions().setHost(base.getHost())
                .setPort(base.getPort()).setURI("/api/v1/namespaces/" + NAMESPACE + "/pods")).compose(r -> r.send())
                .compose(HttpClientResponse::body));
        java.util.List<JsonObject> pods = new JsonObject(body).getJsonArray("items").stream().map(JsonObject.class::cast)
                .filter(p -> image.equals(p.getJsonObject("spec").getJsonArray("containers").getJsonObject(0).getString("image")))
                .toList();
        System.out.printf("  %d %s pods, seconds after the request for 25/50/75/100%% of them:%n", pods.size(), image);
        System.out.println("    created   " + quartiles(pods, startMillis, p -> p.getJsonObject("metadata").getString("creationTimestamp")));
        System.out.println("    scheduled " + quartiles(pods, startMillis, p -> condition(p, "PodScheduled")));
        System.out.println("    ready     " + quartiles(pods, startMillis, p -> condition(p, "Ready")));
    }

    private static String condition(JsonObject pod, String type) {
        return pod.getJsonObject("status", new JsonObject()).getJsonArray("conditions", new io.vertx.core.json.JsonArray()).stream()
                .map(JsonObject.class::cast).filter(c -> type.equals(c.getString("type")) && "True".equals(c.getString("status")))
                .map(c -> c.getString("lastTransitionTime")).findFirst().orElse(null);
    }

    private static String quartiles(java.util.List<JsonObject> pods, long startMillis, java.util.function.Function<JsonObject, String> time) {
        long[] offsets = pods.stream().map(time).filter(java.util.Objects::nonNull)
                .mapToLong(t -> java.time.Instant.parse(t).toEpochMilli() - startMillis).sorted().toArray();
        if (offsets.length == 0) {
            return "-";
        }
        StringBuilder text = new StringBuilder();
        for (int quarter = 1; quarter <= 4; quarter++) {
            long at = offsets[Math.max(0, offsets.length * quarter / 4 - 1)];
            text.append(String.format("%7.0f", at / 1000.0));
        }
        return text + (offsets.length < pods.size() ? "  (" + offsets.length + " of " + pods.size() + ")" : "");
    }

    /** Wall and CPU time of one phase. */
    private record Phase(long startNanos, long startMillis, long serverPid, double serverCpu, long agentPid, double agentCpu,
            long[] revisionAndEvents) {
        static Phase start(long serverPid, long agentPid, HttpClient client, URI base) throws Exception {
            return new Phase(System.nanoTime(), System.currentTimeMillis(), serverPid, CpuMeter.cpuSeconds(serverPid), agentPid,
                    CpuMeter.cpuSeconds(agentPid), revisionAndEvents(client, base));
        }

        void report(String what, JsonObject status, HttpClient client, URI base) throws Exception {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            double serverCpuSeconds = CpuMeter.cpuSeconds(serverPid) - serverCpu;
            System.out.printf("%s: %.2f s (control plane CPU %.1f s, agent CPU %.1f s, PostgreSQL not counted)%n", what, seconds,
                    serverCpuSeconds, CpuMeter.cpuSeconds(agentPid) - agentCpu);
            long[] now = revisionAndEvents(client, base);
            long writes = now[0] - revisionAndEvents[0];
            System.out.printf("  %d writes (revisions) in the phase, %d events recorded in the namespace; control plane CPU per write %.0f µs%n",
                    writes, now[1] - revisionAndEvents[1], serverCpuSeconds * 1e6 / Math.max(1, writes));
            System.out.printf("RESULT %s seconds=%.2f writes=%d%n", what.replace(' ', '_'), seconds, writes);
        }

        /** The current revision (from a list) and how many Events the namespace holds. */
        private static long[] revisionAndEvents(HttpClient client, URI base) throws Exception {
            io.vertx.core.buffer.Buffer body = CreateBenchmark.await(client.request(new RequestOptions().setHost(base.getHost())
                    .setPort(base.getPort()).setURI("/api/v1/namespaces/" + NAMESPACE + "/events")).compose(r -> r.send())
                    .compose(HttpClientResponse::body));
            JsonObject list = new JsonObject(body);
            JsonObject metadata = list.getJsonObject("metadata");
            long events = list.getJsonArray("items").size();
            return new long[] {Long.parseLong(metadata.getString("resourceVersion")), events};
        }
    }

    /** One watch of the Deployment; hands every status it sees to the current waiter. */
    private static final class DeploymentWatch {
        private final HttpClientResponse response;
        private volatile CompletableFuture<JsonObject> waiter;
        private volatile Predicate<JsonObject> until;
        private volatile Milestones milestones;

        private DeploymentWatch(HttpClientResponse response) {
            this.response = response;
        }

        static DeploymentWatch open(HttpClient client, URI base) throws Exception {
            HttpClientResponse response = CreateBenchmark.await(client.request(new RequestOptions().setHost(base.getHost())
                    .setPort(base.getPort()).setURI("/apis/apps/v1/namespaces/" + NAMESPACE + "/deployments?watch=true&timeoutSeconds=3600"
                            + "&fieldSelector=metadata.name%3D" + NAME)).compose(r -> r.send()));
            if (response.statusCode() != 200) {
                throw new IllegalStateException("watch answered " + response.statusCode());
            }
            DeploymentWatch watch = new DeploymentWatch(response);
            response.handler(RecordParser.newDelimited("\n", line -> watch.seen(new JsonObject(line).getJsonObject("object"))));
            return watch;
        }

        private void seen(JsonObject deployment) {
            JsonObject status = deployment.getJsonObject("status", new JsonObject());
            Milestones m = milestones;
            if (m != null) {
                m.seen(status);
            }
            CompletableFuture<JsonObject> w = waiter;
            if (w != null && until.test(status)) {
                w.complete(status);
            }
        }

        /** Progress reports of a phase, counted from statuses that observed generation. */
        void milestones(long startNanos, long generation, int replicas, String what, java.util.function.ToIntFunction<JsonObject> count) {
            milestones = new Milestones(startNanos, replicas, what,
                    status -> status.getLong("observedGeneration", 0L) >= generation ? count.applyAsInt(status) : 0);
        }

        JsonObject await(Predicate<JsonObject> condition, int timeoutSeconds) throws Exception {
            until = condition;
            CompletableFuture<JsonObject> w = new CompletableFuture<>();
            waiter = w;
            return w.get(timeoutSeconds, TimeUnit.SECONDS);
        }

        void close() {
            response.request().connection().close();
        }
    }

    /** Prints when a quarter, half and three quarters of the replicas got there. */
    private static final class Milestones {
        private final long startNanos;
        private final int replicas;
        private final String what;
        private final java.util.function.ToIntFunction<JsonObject> count;
        private int next = 1;

        Milestones(long startNanos, int replicas, String what, java.util.function.ToIntFunction<JsonObject> count) {
            this.startNanos = startNanos;
            this.replicas = replicas;
            this.what = what;
            this.count = count;
        }

        void seen(JsonObject status) {
            int n = count.applyAsInt(status);
            while (next < 4 && n >= replicas * next / 4) {
                System.out.printf("  %d%% %s after %.2f s%n", next * 25, what, (System.nanoTime() - startNanos) / 1e9);
                next++;
            }
        }
    }
}
