package io.quarkube.controllers.nodelifecycle;

import static io.quarkube.scheduler.testing.ApiNodes.await;
import static io.quarkube.scheduler.testing.ApiNodes.awaitEvents;
import static io.quarkube.scheduler.testing.ApiNodes.createPod;
import static io.quarkube.scheduler.testing.TestNodes.node;
import static io.quarkube.scheduler.testing.TestPods.pod;
import static io.quarkube.testing.TestCluster.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkube.scheduler.testing.ApiNodes;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The node lifecycle controller in the running control plane, with a 3 s grace period. No node
 * agent runs here: the test registers the Node, and plays the agent's heartbeat itself by renewing
 * the node's Lease in kube-node-lease and posting the node's and a pod's Ready condition through
 * the status subresource; then it stops, as a dead agent would.
 */
@QuarkusTest
@TestProfile(NodeLifecycleProfile.class)
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class NodeLifecycleControllerTest {

    private static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";
    private static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    private static final DateTimeFormatter MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void aNodeWhoseLeaseStopsIsMarkedUnknownTaintedAndItsIntolerantPodsEvictedThenUntaintedWhenBack() {
        String ns = Manifests.namespace("lifecycle");
        ApiNodes nodes = new ApiNodes();
        nodes.create(node("worker").build());
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"worker"},
                 "spec":{"holderIdentity":"worker","leaseDurationSeconds":40,"renewTime":"%s"}}""".formatted(microNow()))
                .post(LEASES).then().statusCode(201);
        createPod(ns, pod("quick").toleration(UNREACHABLE, "Exists", null, "NoExecute", 2L).onNode("worker").build());
        createPod(ns, pod("patient").onNode("worker").build());
        createPod(ns, pod("forever").toleration(UNREACHABLE, "Exists", null, "NoExecute", null).onNode("worker").build());
        // what the agent would report for a running pod
        admin().contentType("application/merge-patch+json").body("""
                {"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}""")
                .patch("/api/v1/namespaces/" + ns + "/pods/forever/status").then().statusCode(200);
        assertEquals(300, ApiNodes.pod(ns, "patient").at("/spec/tolerations/1/tolerationSeconds").asInt(),
                "the default toleration of unreachable was added at admission");

        // while the lease is renewed, for twice the grace period, the node stays Ready and untainted
        long healthyUntil = System.nanoTime() + Duration.ofSeconds(2L * NodeLifecycleProfile.GRACE_SECONDS).toNanos();
        while (System.nanoTime() < healthyUntil) {
            renewLease();
            JsonNode node = ApiNodes.get("/api/v1/nodes/worker");
            assertEquals("True", ready(node).path("status").asText(), "a node renewing its lease stays Ready");
            assertTrue(node.path("spec").path("taints").isMissingNode() || node.path("spec").path("taints").isEmpty());
            pause(Duration.ofMillis(500));
        }

        // the agent dies: no more renewals
        Instant stopped = Instant.now();
        JsonNode lost = await("/api/v1/nodes/worker", n -> "Unknown".equals(ready(n).path("status").asText())
                && taints(n).containsAll(List.of(UNREACHABLE + ":NoSchedule", UNREACHABLE + ":NoExecute")), "node Unknown and tainted");
        assertEquals("NodeStatusUnknown", ready(lost).path("reason").asText());
        assertEquals("Kubelet stopped posting node status.", ready(lost).path("message").asText());
        assertTrue(Duration.between(stopped, Instant.now()).toSeconds() >= NodeLifecycleProfile.GRACE_SECONDS - 1,
                "not before the grace period");

        ApiNodes.awaitPod(ns, "forever", pod -> "False".equals(podReady(pod).path("status").asText()),
                "the pods of a node that is not ready are not ready");
        JsonNode evicted = ApiNodes.awaitPod(ns, "quick", pod -> pod.path("metadata").has("deletionTimestamp"), "evicted");
        assertFalse(evicted.path("metadata").path("deletionTimestamp").asText().isEmpty());
        JsonNode event = awaitEvents(ns, "quick", "TaintManagerEviction").get(0);
        assertEquals("Marking for deletion Pod " + ns + "/quick", event.path("message").asText());
        assertFalse(ApiNodes.pod(ns, "patient").path("metadata").has("deletionTimestamp"), "300 s are not up");
        assertFalse(ApiNodes.pod(ns, "forever").path("metadata").has("deletionTimestamp"), "tolerated forever");

        // the agent is back: lease renewed, Ready posted
        renewLease();
        admin().contentType("application/merge-patch+json").body("""
                {"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady",
                 "lastHeartbeatTime":"%s","lastTransitionTime":"%s"}]}}""".formatted(Instant.now().truncatedTo(ChronoUnit.SECONDS),
                Instant.now().truncatedTo(ChronoUnit.SECONDS)))
                .patch("/api/v1/nodes/worker/status").then().statusCode(200);
        await("/api/v1/nodes/worker", n -> taints(n).isEmpty(), "taints removed once the node is Ready again");
        assertFalse(ApiNodes.pod(ns, "patient").path("metadata").has("deletionTimestamp"));
        nodes.deleteAll();
    }

    private static void renewLease() {
        admin().contentType("application/merge-patch+json").body("{\"spec\":{\"renewTime\":\"" + microNow() + "\"}}")
                .patch(LEASES + "/worker").then().statusCode(200);
    }

    private static String microNow() {
        return MICRO.format(Instant.now());
    }

    private static JsonNode ready(JsonNode node) {
        for (JsonNode condition : node.path("status").path("conditions")) {
            if ("Ready".equals(condition.path("type").asText())) {
                return condition;
            }
        }
        return node.path("missing");
    }

    private static JsonNode podReady(JsonNode pod) {
        for (JsonNode condition : pod.path("status").path("conditions")) {
            if ("Ready".equals(condition.path("type").asText())) {
                return condition;
            }
        }
        return pod.path("missing");
    }

    private static List<String> taints(JsonNode node) {
        List<String> taints = new ArrayList<>();
        node.path("spec").path("taints").forEach(t -> taints.add(t.path("key").asText() + ":" + t.path("effect").asText()));
        return taints;
    }

    /** Paces the heartbeat this test plays; not a synchronisation. */
    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }
}
