package io.quarkube.testing;

import static io.quarkube.testing.TestCluster.admin;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Stands in for a node agent in control-plane tests, where none runs (the agent is a separate
 * application): every 200 ms it writes a status through pods/status to each pod of a namespace
 * that is not being deleted and not in the given phase yet, as an agent would once the pod's
 * containers are up (Running and Ready) or have exited (Succeeded). Close it when the test ends.
 */
public final class PodStatusStandIn implements AutoCloseable {

    private static final String RUNNING_AND_READY = """
            {"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}""";
    private static final String SUCCEEDED = "{\"status\":{\"phase\":\"Succeeded\"}}";

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    private PodStatusStandIn(String namespace, String phase, String statusPatch) {
        this(namespace, phase, name -> statusPatch);
    }

    private PodStatusStandIn(String namespace, String phase, UnaryOperator<String> statusPatchOfPod) {
        executor.scheduleWithFixedDelay(() -> {
            List<Map<String, Object>> items = admin().get("/api/v1/namespaces/" + namespace + "/pods").path("items");
            for (Map<String, Object> pod : items) {
                Map<?, ?> metadata = (Map<?, ?>) pod.get("metadata");
                Map<?, ?> status = (Map<?, ?>) pod.get("status");
                if (metadata.get("deletionTimestamp") != null || (status != null && phase.equals(status.get("phase")))) {
                    continue;
                }
                admin().contentType("application/merge-patch+json").body(statusPatchOfPod.apply((String) metadata.get("name")))
                        .patch("/api/v1/namespaces/" + namespace + "/pods/" + metadata.get("name") + "/status");
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
    }

    /** Marks the namespace's pods Running and Ready. */
    public static PodStatusStandIn runningAndReady(String namespace) {
        return new PodStatusStandIn(namespace, "Running", RUNNING_AND_READY);
    }

    /**
     * Marks the namespace's pods Running and Ready with a pod IP each, 10.244.0.1, 10.244.0.2, ... in
     * the order the stand-in first sees them, as an agent reports a pod whose sandbox has its network.
     */
    public static PodStatusStandIn runningAndReadyWithIps(String namespace) {
        AtomicInteger assigned = new AtomicInteger();
        Map<String, String> ips = new ConcurrentHashMap<>();
        return new PodStatusStandIn(namespace, "Running", name -> {
            String ip = ips.computeIfAbsent(name, n -> {
                int index = assigned.getAndIncrement();
                return "10.244." + (index / 250) + "." + (index % 250 + 1);
            });
            return """
                    {"status":{"phase":"Running","podIP":"%s","podIPs":[{"ip":"%s"}],
                     "conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}"""
                    .formatted(ip, ip);
        });
    }

    /** Marks the namespace's pods Succeeded (their containers exited 0). */
    public static PodStatusStandIn succeeded(String namespace) {
        return new PodStatusStandIn(namespace, "Succeeded", SUCCEEDED);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
