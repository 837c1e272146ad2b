package io.quarkube.scheduler;

import static io.quarkube.scheduler.testing.ApiNodes.awaitEvents;
import static io.quarkube.scheduler.testing.ApiNodes.awaitPod;
import static io.quarkube.scheduler.testing.ApiNodes.bound;
import static io.quarkube.scheduler.testing.ApiNodes.createPod;
import static io.quarkube.scheduler.testing.ApiNodes.scheduledCondition;
import static io.quarkube.scheduler.testing.ApiNodes.unschedulable;
import static io.quarkube.scheduler.testing.TestNodes.node;
import static io.quarkube.scheduler.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.quarkube.scheduler.testing.ApiNodes;
import io.quarkube.scheduler.testing.SchedulingProfile;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The scheduler in the running control plane, end to end through the API: pods created over
 * HTTPS are bound through the binding subresource, or left Pending with PodScheduled=False and a
 * FailedScheduling event. No node agents run here: each test registers Node objects through the
 * API and sets their status through the status subresource, as an agent would, and removes them
 * afterwards so every test sees only its own nodes.
 */
@QuarkusTest
@TestProfile(SchedulingProfile.class)
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class SchedulerTest {

    private static final String CONTROL_PLANE = "node-role.kubernetes.io/control-plane";
    private final ApiNodes nodes = new ApiNodes();
    private final List<String> namespaces = new ArrayList<>();

    /**
     * Removes the test's pods, then its nodes. A pod left pending would take the room of the next
     * test's nodes, and one left bound to a node name would count against the next node of that name.
     */
    @AfterEach
    void removePodsAndNodes() {
        for (String namespace : namespaces) {
            io.quarkube.testing.TestCluster.admin().delete("/api/v1/namespaces/" + namespace + "/pods?gracePeriodSeconds=0")
                    .then().statusCode(200);
        }
        nodes.deleteAll();
    }

    private String namespace(String prefix) {
        String namespace = Manifests.namespace(prefix);
        namespaces.add(namespace);
        return namespace;
    }

    @Test
    void aPodThatFitsNowhereStaysPendingWithKubeSchedulersConditionAndEvent() {
        String ns = namespace("sched-exhaust");
        nodes.create(node("small").allocatable("1", "4Gi", 110).build());
        nodes.create(node("cp1").taint(CONTROL_PLANE, null, "NoSchedule").build());
        nodes.create(node("cp2").taint(CONTROL_PLANE, null, "NoSchedule").build());
        createPod(ns, pod("big").requests("2", "1Gi").build());

        String message = "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint "
                + "{node-role.kubernetes.io/control-plane: }.";
        JsonNode pending = awaitPod(ns, "big", ApiNodes::unschedulable, "PodScheduled=False");
        assertEquals(message, scheduledCondition(pending).path("message").asText());
        assertEquals("Pending", pending.path("status").path("phase").asText());
        assertTrue(pending.path("spec").path("nodeName").asText("").isEmpty());

        JsonNode event = awaitEvents(ns, "big", "FailedScheduling").get(0);
        assertEquals(message, event.path("message").asText());
        assertEquals("Warning", event.path("type").asText());
        assertEquals("default-scheduler", event.path("source").path("component").asText());
        assertEquals("Pod", event.path("involvedObject").path("kind").asText());

        // a node changes without making room: the pod is retried and fails alike; the event counts the repeat
        io.quarkube.testing.TestCluster.admin().contentType("application/merge-patch+json")
                .body("{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}").patch("/api/v1/nodes/small").then().statusCode(200);
        JsonNode counted = ApiNodes.await("/api/v1/namespaces/" + ns + "/events/" + event.path("metadata").path("name").asText(),
                e -> e.path("count").asInt() >= 2, "the FailedScheduling event counting the retry");
        assertEquals(message, counted.path("message").asText());
        assertEquals(1, awaitEvents(ns, "big", "FailedScheduling").size(), "one event object for the repeats");

        String described = kubectl("--namespace=" + ns, "describe", "pod", "big");
        assertTrue(described.contains("FailedScheduling") && described.contains("default-scheduler")
                && described.contains(message.substring(0, 40)), described);
    }

    /** Runs the real kubectl 1.33 against the control plane under test; its output, failing unless it exits with 0. */
    private static String kubectl(String... args) {
        return kubectl(33, args);
    }

    private static String kubectl(int minor, String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/lib/google-cloud-sdk/bin/kubectl.1." + minor,
                "--kubeconfig=" + io.quarkube.testing.TestCluster.kubeconfig()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "kubectl finished");
            assertEquals(0, process.exitValue(), output);
            return output;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBoundPodGetsAScheduledEventAndThePendingOneFitsOnceANodeArrives() {
        String ns = namespace("sched-bind");
        nodes.create(node("small").allocatable("1", "4Gi", 110).build());
        createPod(ns, pod("fits").requests("500m", null).build());
        createPod(ns, pod("waits").requests("2", null).build());

        awaitPod(ns, "fits", ApiNodes::bound, "bound");
        JsonNode scheduled = awaitEvents(ns, "fits", "Scheduled").get(0);
        assertEquals("Successfully assigned " + ns + "/fits to small", scheduled.path("message").asText());
        assertEquals("True", scheduledCondition(ApiNodes.pod(ns, "fits")).path("status").asText());
        awaitPod(ns, "waits", ApiNodes::unschedulable, "unschedulable");

        nodes.create(node("big").allocatable("4", "4Gi", 110).build());
        JsonNode placed = awaitPod(ns, "waits", ApiNodes::bound, "bound once a node with room arrives");
        assertEquals("big", placed.path("spec").path("nodeName").asText());
    }

    @Test
    void kubectlCordonKeepsNewPodsOffTheNodeAndUncordonLetsThemOn() {
        String ns = namespace("sched-cordon");
        nodes.create(node("cordoned").build());
        kubectl("cordon", "cordoned");
        createPod(ns, pod("waits").build());
        createPod(ns, pod("daemon").toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoSchedule", null).build());

        assertEquals("cordoned", awaitPod(ns, "daemon", ApiNodes::bound, "bound").path("spec").path("nodeName").asText(),
                "a pod tolerating node.kubernetes.io/unschedulable (as DaemonSet pods do) still goes to a cordoned node");
        assertEquals("0/1 nodes are available: 1 node(s) were unschedulable.",
                scheduledCondition(awaitPod(ns, "waits", ApiNodes::unschedulable, "unschedulable")).path("message").asText());

        kubectl("uncordon", "cordoned");
        assertEquals("cordoned", awaitPod(ns, "waits", ApiNodes::bound, "bound after uncordon").path("spec").path("nodeName").asText());
    }

    /**
     * kubectl 1.30: 1.32 and later send the DeleteOptions of drain's deletes as protobuf, which the
     * API does not decode yet. Without an eviction subresource kubectl drain deletes the pods
     * (PodDisruptionBudgets are not consulted).
     */
    @Test
    void kubectlDrainCordonsTheNodeAndRemovesItsPods() {
        String ns = namespace("sched-drain");
        nodes.create(node("drained").build());
        createPod(ns, pod("on-it").build());
        awaitPod(ns, "on-it", ApiNodes::bound, "bound");

        String output = kubectl(30, "drain", "drained", "--force", "--grace-period=0", "--timeout=30s");
        assertTrue(output.contains("drained"), output);
        assertTrue(ApiNodes.get("/api/v1/nodes/drained").path("spec").path("unschedulable").asBoolean(), "cordoned");
        io.quarkube.testing.TestCluster.admin().get("/api/v1/namespaces/" + ns + "/pods/on-it").then().statusCode(404);
    }

    @Test
    void taintsKeepOutPodsThatDoNotTolerateThem() {
        String ns = namespace("sched-taints");
        nodes.create(node("gpu").taint("dedicated", "gpu", "NoSchedule").build());
        createPod(ns, pod("plain").build());
        createPod(ns, pod("tolerant").toleration("dedicated", "Equal", "gpu", "NoSchedule", null).build());

        assertEquals("gpu", awaitPod(ns, "tolerant", ApiNodes::bound, "bound").path("spec").path("nodeName").asText());
        JsonNode plain = awaitPod(ns, "plain", ApiNodes::unschedulable, "unschedulable");
        assertEquals("0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}.",
                scheduledCondition(plain).path("message").asText());
    }

    @Test
    void requiredNodeAffinityAndNodeSelectorPickTheMatchingNode() {
        String ns = namespace("sched-affinity");
        nodes.create(node("in-a").label("topology.kubernetes.io/zone", "a").build());
        nodes.create(node("in-b").label("topology.kubernetes.io/zone", "b").label("disk", "ssd").build());
        var affinity = new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNodeSelectorTerms(new NodeSelectorTerm(List.of(
                        new NodeSelectorRequirement("topology.kubernetes.io/zone", "In", List.of("b"))), List.of()))
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
        createPod(ns, pod("zone-b").affinity(affinity).build());
        createPod(ns, pod("ssd").nodeSelector("disk", "ssd").build());
        createPod(ns, pod("nowhere").nodeSelector("disk", "nvme").build());

        assertEquals("in-b", awaitPod(ns, "zone-b", ApiNodes::bound, "bound").path("spec").path("nodeName").asText());
        assertEquals("in-b", awaitPod(ns, "ssd", ApiNodes::bound, "bound").path("spec").path("nodeName").asText());
        assertEquals("0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.",
                scheduledCondition(awaitPod(ns, "nowhere", ApiNodes::unschedulable, "unschedulable")).path("message").asText());
    }

    @Test
    void topologySpreadPlacesPodsEvenlyAcrossNodes() {
        String ns = namespace("sched-spread");
        for (String name : List.of("s1", "s2", "s3")) {
            nodes.create(node(name).build());
        }
        var spread = new TopologySpreadConstraintBuilder().withTopologyKey("kubernetes.io/hostname").withMaxSkew(1)
                .withWhenUnsatisfiable("DoNotSchedule").withLabelSelector(new LabelSelector(null, Map.of("app", "spread"))).build();
        for (int i = 0; i < 6; i++) {
            createPod(ns, pod("p" + i).label("app", "spread").spread(spread).build());
        }
        Map<String, Integer> perNode = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            perNode.merge(awaitPod(ns, "p" + i, ApiNodes::bound, "bound").path("spec").path("nodeName").asText(), 1, Integer::sum);
        }
        assertEquals(Map.of("s1", 2, "s2", 2, "s3", 2), perNode);
    }

    @Test
    void requiredAntiAffinityKeepsReplicasOnDifferentNodes() {
        String ns = namespace("sched-anti");
        nodes.create(node("a1").build());
        nodes.create(node("a2").build());
        var anti = new AffinityBuilder().withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(
                new PodAffinityTermBuilder().withLabelSelector(new LabelSelector(null, Map.of("app", "db")))
                        .withTopologyKey("kubernetes.io/hostname").build()).endPodAntiAffinity().build();
        createPod(ns, pod("db0").label("app", "db").affinity(anti).build());
        createPod(ns, pod("db1").label("app", "db").affinity(anti).build());
        String first = awaitPod(ns, "db0", ApiNodes::bound, "bound").path("spec").path("nodeName").asText();
        String second = awaitPod(ns, "db1", ApiNodes::bound, "bound").path("spec").path("nodeName").asText();
        assertNotEquals(first, second);

        createPod(ns, pod("db2").label("app", "db").affinity(anti).build());
        assertEquals("0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules.",
                scheduledCondition(awaitPod(ns, "db2", ApiNodes::unschedulable, "unschedulable")).path("message").asText());
    }

    @Test
    void aBurstOfPodsDoesNotOvercommitANode() {
        String ns = namespace("sched-burst");
        nodes.create(node("only").allocatable("2", "8Gi", 110).build());
        int pods = 12;
        for (int i = 0; i < pods; i++) {
            createPod(ns, pod("b" + i).requests("500m", null).build());
        }
        List<String> placed = new ArrayList<>();
        int pending = 0;
        for (int i = 0; i < pods; i++) {
            JsonNode settled = awaitPod(ns, "b" + i, p -> bound(p) || unschedulable(p), "bound or unschedulable");
            if (bound(settled)) {
                placed.add(settled.path("metadata").path("name").asText());
            } else {
                pending++;
                assertEquals("0/1 nodes are available: 1 Insufficient cpu.", scheduledCondition(settled).path("message").asText());
            }
        }
        assertEquals(4, placed.size(), "2 cpu hold exactly four pods of 500m: " + placed);
        assertEquals(pods - 4, pending);
    }
}
