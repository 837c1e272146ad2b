package io.quarkube.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.ControlPlaneSetup;
import io.quarkube.json.Json;
import io.quarkube.testing.ControlPlaneProcess;
import io.quarkube.testing.KubeHttp;
import io.quarkube.testing.KubeHttp.Reply;

/**
 * Two control-plane replicas (separate processes from the packaged application, one PostgreSQL,
 * one Redis), with 4 s leases: only the holder of the kube-scheduler Lease schedules; when it is
 * killed (no shutdown, so no release) the other replica takes the lease over within the lease
 * duration and schedules from then on. No node agent runs: the Node is registered through the API
 * with its status set through the status subresource. Runs after packaging (failsafe).
 */
class SchedulerTakeoverIT {

    private static final Duration LEASE = Duration.ofSeconds(4);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final String LEASE_PATH = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static ControlPlaneSetup storage;
    private static ControlPlaneProcess replicaA;
    private static ControlPlaneProcess replicaB;
    private static KubeHttp http;

    @BeforeAll
    static void startReplicas() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "quarkube-takeover-");
        Map<String, String> settings = Map.of("quarkube.data-dir", dataDir.toString(), "quarkube.bind", "127.0.0.1");
        storage = ControlPlaneSetup.prepare(key -> Optional.ofNullable(settings.get(key)));
        replicaA = ControlPlaneProcess.start("replica-a", dataDir, storage.config(), election("replica-a"));
        replicaB = ControlPlaneProcess.start("replica-b", dataDir, storage.config(), election("replica-b"));
        http = new KubeHttp(dataDir);
    }

    private static Map<String, String> election(String identity) {
        return Map.of("quarkube.leader-election.identity", identity,
                "quarkube.leader-election.lease-duration", LEASE.toSeconds() + "s",
                "quarkube.leader-election.renew-deadline", "3s",
                "quarkube.leader-election.retry-period", RETRY.toSeconds() + "s",
                "quarkube.node-lifecycle.enabled", "false");
    }

    @AfterAll
    static void stopReplicas() {
        ControlPlaneProcess.stopAll(replicaB, replicaA, storage);
    }

    @Test
    void theSurvivorTakesTheSchedulerLeaseOverWithinTheLeaseDurationAndSchedules() throws Exception {
        JsonNode lease = await(replicaA, LEASE_PATH, l -> !l.path("spec").path("holderIdentity").asText("").isEmpty(), "a holder");
        String leader = lease.path("spec").path("holderIdentity").asText();
        ControlPlaneProcess leading = leader.equals("replica-a") ? replicaA : replicaB;
        ControlPlaneProcess survivor = leading == replicaA ? replicaB : replicaA;
        String survivorName = leading == replicaA ? "replica-b" : "replica-a";
        int transitions = lease.path("spec").path("leaseTransitions").asInt(0);

        createNamespace("takeover");
        createReadyNode("worker");
        createPod(survivor, "before");
        JsonNode scheduled = awaitEvent(survivor, "before");
        assertEquals(leader, scheduled.path("reportingInstance").asText(), "the lease holder scheduled, whichever replica got the pod");

        leading.kill();
        long killed = System.nanoTime();
        JsonNode taken = await(survivor, LEASE_PATH, l -> survivorName.equals(l.path("spec").path("holderIdentity").asText()),
                "the survivor holding the lease");
        Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
        assertTrue(takeover.compareTo(LEASE.plus(RETRY.multipliedBy(3))) <= 0,
                "taken over in " + takeover + ", within the lease duration plus a few retry periods");
        assertEquals(transitions + 1, taken.path("spec").path("leaseTransitions").asInt());

        createPod(survivor, "after");
        JsonNode scheduledAfter = awaitEvent(survivor, "after");
        assertEquals(survivorName, scheduledAfter.path("reportingInstance").asText());
        assertEquals("worker", get(survivor, "/api/v1/namespaces/takeover/pods/after").path("spec").path("nodeName").asText());
        assertNotEquals(leader, survivorName);
    }

    private static void createNamespace(String name) {
        ObjectNode namespace = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
        namespace.putObject("metadata").put("name", name);
        assertEquals(201, http.send("POST", replicaA.url() + "/api/v1/namespaces", namespace).status());
    }

    private static void createReadyNode(String name) {
        ObjectNode node = Json.parseObject("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{"kubernetes.io/hostname":"%s"}}}"""
                .formatted(name, name));
        assertEquals(201, http.send("POST", replicaA.url() + "/api/v1/nodes", node).status());
        ObjectNode current = get(replicaA, "/api/v1/nodes/" + name).deepCopy();
        current.set("status", Json.parseObject("""
                {"capacity":{"cpu":"4","memory":"8Gi","pods":"110"},"allocatable":{"cpu":"4","memory":"8Gi","pods":"110"},
                 "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"}]}"""));
        assertEquals(200, http.send("PUT", replicaA.url() + "/api/v1/nodes/" + name + "/status", current).status());
    }

    private static void createPod(ControlPlaneProcess replica, String name) {
        ObjectNode pod = Json.parseObject("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},
                 "spec":{"containers":[{"name":"c","image":"busybox"}]}}""".formatted(name));
        assertEquals(201, http.send("POST", replica.url() + "/api/v1/namespaces/takeover/pods", pod).status());
    }

    private static JsonNode awaitEvent(ControlPlaneProcess replica, String pod) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode event : get(replica, "/api/v1/namespaces/takeover/events").path("items")) {
                if (pod.equals(event.path("involvedObject").path("name").asText()) && "Scheduled".equals(event.path("reason").asText())) {
                    return event;
                }
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        fail("no Scheduled event for " + pod + " within " + WAIT);
        return null;
    }

    private static JsonNode await(ControlPlaneProcess replica, String path, Predicate<JsonNode> condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Reply reply = http.send("GET", replica.url() + path, null);
            if (reply.status() == 200) {
                last = reply.body();
                if (condition.test(last)) {
                    return last;
                }
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        fail(what + " not seen within " + WAIT + "; last: " + last);
        return null;
    }

    private static ObjectNode get(ControlPlaneProcess replica, String path) {
        Reply reply = http.send("GET", replica.url() + path, null);
        assertEquals(200, reply.status(), path);
        return reply.body();
    }
}
