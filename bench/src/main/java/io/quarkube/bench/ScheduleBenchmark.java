package io.quarkube.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;

/**
 * Scheduler throughput on a backlog, as kube's scheduler_perf measures it: waits for the simulated
 * nodes to be Ready; then for each batch size holds the scheduler back by taking its Lease
 * (kube-system/kube-scheduler, as another replica would), creates that many pods without
 * spec.nodeName (small cpu and memory requests) in a fresh namespace as fast as CONCURRENCY requests
 * in flight allow, and releases the Lease, so the control plane's scheduler takes over with every
 * pod pending. A watch sees each binding (the first event with spec.nodeName). Reports pods
 * scheduled per second from the first to the last binding, the time from the release to the last
 * binding, and the control plane's CPU per pod while scheduling.
 */
public final class ScheduleBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Path dataDir = Path.of(args.get("data-dir"));
        URI base = URI.create(args.get("url"));
        int nodes = args.getInt("nodes", 1000);
        int concurrency = args.getInt("concurrency", 64);
        long serverPid = Long.parseLong(args.get("server-pid", "0"));
        Duration deadline = Duration.ofSeconds(args.getInt("timeout", 900));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try {
            HttpClient api = vertx.createHttpClient(ClusterTls.adminClient(dataDir).setIdleTimeout(0),
                    new PoolOptions().setHttp1MaxSize(concurrency + 4));
            RequestOptions target = new RequestOptions().setHost(base.getHost()).setPort(base.getPort());
            awaitReadyNodes(api, target, nodes, Duration.ofMinutes(5));
            int batch = 0;
            for (String size : args.get("pods", "10000,30000").split(",")) {
                int pods = Integer.parseInt(size);
                String namespace = "bench-schedule-" + batch++;
                run(api, target, namespace, pods, concurrency, serverPid, deadline);
            }
        } finally {
            CreateBenchmark.await(vertx.close());
        }
    }

    private static void run(HttpClient api, RequestOptions target, String namespace, int pods, int concurrency, long serverPid,
            Duration deadline) throws Exception {
        int status = CreateBenchmark.await(post(api, target, "/api/v1/namespaces",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + namespace + "\"}}"));
        if (status != 201) {
            throw new IllegalStateException("creating namespace " + namespace + " answered " + status);
        }
        Set<String> bound = ConcurrentHashMap.newKeySet();
        AtomicLong firstBind = new AtomicLong();
        AtomicLong lastBind = new AtomicLong();
        CompletableFuture<Void> allBound = new CompletableFuture<>();
        // the watch is open (response headers in) before the first create
        HttpClientResponse watch = CreateBenchmark.await(api.request(new RequestOptions(target).setMethod(HttpMethod.GET)
                .setURI("/api/v1/namespaces/" + namespace + "/pods?watch=true")).compose(request -> request.send()));
        if (watch.statusCode() != 200) {
            throw new IllegalStateException("watch answered " + watch.statusCode());
        }
        watch.handler(RecordParser.newDelimited("\n", line -> {
            if (line.length() == 0) {
                return;
            }
            try {
                JsonNode object = JSON.readTree(line.getBytes()).path("object");
                String nodeName = object.path("spec").path("nodeName").asText("");
                if (!nodeName.isEmpty() && bound.add(object.path("metadata").path("name").asText())) {
                    long now = System.nanoTime();
                    firstBind.compareAndSet(0, now);
                    lastBind.set(now);
                    if (bound.size() == pods) {
                        allBound.complete(null);
                    }
                }
            } catch (java.io.IOException e) {
                allBound.completeExceptionally(e);
            }
        }));
        watch.exceptionHandler(allBound::completeExceptionally);

        holdSchedulerLease(api, target);
        long createStart = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        CompletableFuture<Void> created = new CompletableFuture<>();
        AtomicInteger finished = new AtomicInteger();
        for (int i = 0; i < Math.min(concurrency, pods); i++) {
            createNext(api, target, namespace, pods, next, finished, failures, created);
        }
        created.get(deadline.toSeconds(), TimeUnit.SECONDS);
        long createEnd = System.nanoTime();
        if (!bound.isEmpty()) {
            throw new IllegalStateException(bound.size() + " pods were bound while the benchmark held the scheduler's lease");
        }
        CpuMeter cpu = CpuMeter.start(serverPid);
        double schedulerThreadStart = threadCpuSeconds(serverPid, "scheduler");
        long released = System.nanoTime();
        setSchedulerLease(api, target, null, 1);
        try {
            allBound.get(deadline.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.out.printf("only %d of %d pods bound within %s%n", bound.size(), pods, deadline);
            throw e;
        } finally {
            watch.request().reset();
        }
        double createSeconds = (createEnd - createStart) / 1e9;
        double bindSeconds = (lastBind.get() - firstBind.get()) / 1e9;
        double totalSeconds = (lastBind.get() - released) / 1e9;
        System.out.printf("%d pending pods created in %.1f s (%.0f creates/s, %d failed); lease released: first binding after %.1f s, "
                + "first to last binding %.1f s: %.0f pods scheduled/s; release to last binding %.1f s%n",
                pods, createSeconds, pods / createSeconds, failures.get(), (firstBind.get() - released) / 1e9, bindSeconds,
                (pods - 1) / bindSeconds, totalSeconds);
        System.out.println("  while scheduling, " + cpu.perOperation(pods));
        System.out.printf("  the control plane's scheduling thread: %.0f µs CPU per pod%n",
                (threadCpuSeconds(serverPid, "scheduler") - schedulerThreadStart) * 1e6 / pods);
        System.out.printf("RESULT pods=%d scheduled_per_s=%.0f seconds_to_schedule_all=%.1f%n", pods, (pods - 1) / bindSeconds, totalSeconds);
    }

    private static final String LEASE = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler";
    private static final String HOLDER = "schedule-benchmark";

    /**
     * Takes the scheduler's Lease for an hour; the control plane's leader election sees another
     * holder at its next renewal and stops scheduling. Waits until three of its retry periods (2 s)
     * passed with the Lease still ours, so no renewal of the control plane is still under way.
     */
    private static void holdSchedulerLease(HttpClient api, RequestOptions target) throws Exception {
        setSchedulerLease(api, target, HOLDER, 3600);
        long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        while (System.nanoTime() < until) {
            JsonNode lease = JSON.readTree(get(api, target, LEASE).getBytes());
            if (!HOLDER.equals(lease.path("spec").path("holderIdentity").asText())) {
                throw new IllegalStateException("the control plane kept the scheduler's lease: " + lease.path("spec"));
            }
            Thread.sleep(500);
        }
    }

    /** Writes the scheduler Lease's holder (null: released) and duration, retrying on conflicts. */
    private static void setSchedulerLease(HttpClient api, RequestOptions target, String holder, int durationSeconds) throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            com.fasterxml.jackson.databind.node.ObjectNode lease = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
                    get(api, target, LEASE).getBytes());
            com.fasterxml.jackson.databind.node.ObjectNode spec = lease.with("spec");
            if (holder == null) {
                spec.remove("holderIdentity");
            } else {
                spec.put("holderIdentity", holder);
            }
            spec.put("leaseDurationSeconds", durationSeconds);
            spec.put("renewTime", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString());
            Buffer payload = Buffer.buffer(JSON.writeValueAsBytes(lease));
            int status = CreateBenchmark.await(api.request(new RequestOptions(target).setMethod(HttpMethod.PUT).setURI(LEASE)
                            .putHeader("Content-Type", "application/json"))
                    .compose(request -> request.send(payload))
                    .compose(response -> response.body().map(body -> response.statusCode())));
            if (status == 200) {
                return;
            }
            if (status != 409) {
                throw new IllegalStateException("writing the scheduler lease answered " + status);
            }
        }
        throw new IllegalStateException("the scheduler lease kept changing");
    }

    private static Buffer get(HttpClient api, RequestOptions target, String path) throws Exception {
        return CreateBenchmark.await(api.request(new RequestOptions(target).setMethod(HttpMethod.GET).setURI(path))
                .compose(request -> request.send()).compose(HttpClientResponse::body));
    }

    /** CPU seconds (user + system) of the process's threads with this name, from /proc; 0 when unreadable. */
    private static double threadCpuSeconds(long pid, String threadName) {
        if (pid <= 0) {
            return 0;
        }
        double seconds = 0;
        try (var tasks = java.nio.file.Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (!threadName.equals(java.nio.file.Files.readString(task.resolve("comm")).strip())) {
                        continue;
                    }
                    String stat = java.nio.file.Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // utime and stime, in clock ticks of 1/100 s
                    seconds += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
                } catch (java.io.IOException exited) {
                    // a thread that ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            return 0;
        }
        return seconds;
    }

    /** Keeps one create in flight per call until all are sent; completes created when the last one answers. */
    private static void createNext(HttpClient api, RequestOptions target, String namespace, int pods, AtomicInteger next,
            AtomicInteger finished, AtomicInteger failures, CompletableFuture<Void> created) {
        int seq = next.getAndIncrement();
        if (seq >= pods) {
            return;
        }
        post(api, target, "/api/v1/namespaces/" + namespace + "/pods", pod("p-" + seq)).onComplete(result -> {
            if (result.failed() || result.result() != 201) {
                failures.incrementAndGet();
            }
            if (finished.incrementAndGet() == pods) {
                created.complete(null);
            }
            createNext(api, target, namespace, pods, next, finished, failures, created);
        });
    }

    private static String pod(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"bench\"}},"
                + "\"spec\":{\"terminationGracePeriodSeconds\":0,\"containers\":[{\"name\":\"app\",\"image\":\"busybox:1.36\","
                + "\"resources\":{\"requests\":{\"cpu\":\"10m\",\"memory\":\"16Mi\"}}}]}}";
    }

    private static void awaitReadyNodes(HttpClient api, RequestOptions target, int wanted, Duration timeout) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        int ready = 0;
        while (System.nanoTime() < deadline) {
            Buffer body = CreateBenchmark.await(api.request(new RequestOptions(target).setMethod(HttpMethod.GET).setURI("/api/v1/nodes"))
                    .compose(request -> request.send()).compose(HttpClientResponse::body));
            ready = 0;
            for (JsonNode node : JSON.readTree(body.getBytes()).path("items")) {
                for (JsonNode condition : node.path("status").path("conditions")) {
                    if ("Ready".equals(condition.path("type").asText()) && "True".equals(condition.path("status").asText())) {
                        ready++;
                    }
                }
            }
            if (ready >= wanted) {
                System.out.printf("%d nodes Ready after %.1f s%n", ready, (System.nanoTime() - start) / 1e9);
                return;
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("only " + ready + " of " + wanted + " nodes Ready after " + timeout);
    }

    private static Future<Integer> post(HttpClient client, RequestOptions target, String path, String json) {
        return client.request(new RequestOptions(target).setMethod(HttpMethod.POST).setURI(path)
                        .putHeader("Content-Type", "application/json"))
                .compose(request -> request.send(Buffer.buffer(json)))
                .compose(response -> response.body().map(body -> response.statusCode()));
    }
}
