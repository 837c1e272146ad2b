package io.quarkube.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkube.agent.testing.TestAgents;
import io.quarkube.agent.testing.controlplane.ControlPlane;

/**
 * A node whose agent stops: the node lifecycle controller (grace period
 * {@value EndToEndControlPlane#NODE_MONITOR_GRACE_SECONDS} s here) marks it Unknown and taints it
 * unreachable, its pods are evicted after their tolerationSeconds and their ReplicaSet replaces them
 * on the other nodes; when the agent returns the taints go.
 */
@ExtendWith(EndToEndControlPlane.class)
class NodeLifecycleEndToEndTest {

    private static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    private static final long TOLERATION_SECONDS = 4;

    @TempDir
    Path dir;

    private ControlPlane controlPlane;
    private KubernetesClient admin;
    private TestCluster cluster;
    private String prefix;
    private final List<SimulatedNodes> groups = new ArrayList<>();

    @BeforeEach
    void setUp(ControlPlane controlPlane) {
        this.controlPlane = controlPlane;
        this.admin = controlPlane.admin();
        this.prefix = "life-" + UUID.randomUUID().toString().substring(0, 6);
        this.cluster = new TestCluster(admin, prefix);
    }

    @AfterEach
    void tearDown() {
        cluster.delete();
        groups.forEach(SimulatedNodes::close);
    }

    private SimulatedNodes nodes(String suffix, int count) {
        SimulatedNodes nodes = SimulatedNodes.start(controlPlane, dir, prefix + "-" + suffix, count);
        groups.add(nodes);
        return nodes;
    }

    @Test
    void podsOfANodeWhoseAgentStopsAreEvictedAfterTheirTolerationAndReplacedElsewhere() {
        // The doomed node comes first and alone, so the ReplicaSet's pods and the patient pod all land on it.
        SimulatedNodes doomedGroup = nodes("doomed", 1);
        String doomed = doomedGroup.name(0);
        Pod template = TestCluster.pod("ignored", "web", "100m", "64Mi");
        template.getSpec().setTolerations(List.of(
                toleration(UNREACHABLE, TOLERATION_SECONDS), toleration("node.kubernetes.io/not-ready", TOLERATION_SECONDS)));
        admin.apps().replicaSets().inNamespace(cluster.namespace()).resource(new ReplicaSetBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata().withSpec(template.getSpec()).endTemplate()
                .endSpec().build()).create();
        // tolerates the unreachable taint forever: never evicted
        Pod patient = TestCluster.pod("patient", "patient", "10m", "10Mi");
        patient.getSpec().setTolerations(List.of(toleration(UNREACHABLE, null)));
        cluster.create(patient);
        TestAgents.await(TestCluster.WAIT, "2 web pods running on " + doomed, () -> cluster.pods("web").stream()
                .filter(p -> doomed.equals(p.getSpec().getNodeName()) && TestCluster.running(p)).count() == 2);
        assertEquals(doomed, cluster.awaitRunning("patient").getSpec().getNodeName());
        Set<String> evictedNames = Set.copyOf(cluster.pods("web").stream().map(p -> p.getMetadata().getName()).toList());
        SimulatedNodes stable = nodes("stable", 2);

        Instant stopped = Instant.now();
        doomedGroup.stopAgent();

        TestAgents.await(Duration.ofSeconds(EndToEndControlPlane.NODE_MONITOR_GRACE_SECONDS + 30), "node Ready=Unknown",
                () -> "Unknown".equals(SimulatedNodes.readyStatus(admin.nodes().withName(doomed).get())));
        Duration noticed = Duration.between(stopped, Instant.now());
        assertTrue(noticed.compareTo(Duration.ofSeconds(EndToEndControlPlane.NODE_MONITOR_GRACE_SECONDS - 2)) >= 0,
                "node lost after " + noticed + ", before the grace period");
        NodeCondition ready = condition(admin.nodes().withName(doomed).get(), "Ready");
        assertEquals("NodeStatusUnknown", ready.getReason());
        assertEquals("Kubelet stopped posting node status.", ready.getMessage());
        TestAgents.await(TestCluster.WAIT, "unreachable NoSchedule and NoExecute taints",
                () -> unreachableEffects(admin.nodes().withName(doomed).get()).equals(Set.of("NoSchedule", "NoExecute")));
        Taint noExecute = admin.nodes().withName(doomed).get().getSpec().getTaints().stream()
                .filter(t -> UNREACHABLE.equals(t.getKey()) && "NoExecute".equals(t.getEffect())).findFirst().orElseThrow();
        Instant tainted = Instant.parse(noExecute.getTimeAdded());

        for (String name : evictedNames) {
            Pod evicted = cluster.await(name, "evicted", TestCluster::terminating);
            Duration after = Duration.between(tainted, Instant.parse(evicted.getMetadata().getDeletionTimestamp()));
            // both times are whole seconds
            assertTrue(after.compareTo(Duration.ofSeconds(TOLERATION_SECONDS - 1)) >= 0,
                    name + " evicted " + after + " after the taint, before its tolerationSeconds");
        }
        TestAgents.await(TestCluster.WAIT, "2 replacement web pods running on the other nodes", () -> cluster.pods("web").stream()
                .filter(p -> !TestCluster.terminating(p) && p.getSpec().getNodeName() != null // not bound yet: an immutable list refuses contains(null)
                        && stable.names().contains(p.getSpec().getNodeName()) && TestCluster.running(p))
                .count() == 2);
        Pod stillThere = cluster.get("patient");
        assertNull(stillThere.getMetadata().getDeletionTimestamp(), "a pod tolerating the taint without tolerationSeconds stays");
        assertEquals("False", TestCluster.condition(stillThere, "Ready").orElseThrow().getStatus(),
                "pods of a lost node are marked not Ready");

        doomedGroup.startAgent();

        TestAgents.await(TestCluster.WAIT, "unreachable taints removed",
                () -> unreachableEffects(admin.nodes().withName(doomed).get()).isEmpty());
        assertEquals("True", SimulatedNodes.readyStatus(admin.nodes().withName(doomed).get()));
        // the returning agent finishes what was evicted while it was away
        for (String name : evictedNames) {
            TestAgents.await(TestCluster.WAIT, name + " removed", () -> cluster.get(name) == null);
        }
        assertFalse(TestCluster.terminating(cluster.awaitRunning("patient")));
    }

    private static Toleration toleration(String key, Long seconds) {
        return new TolerationBuilder().withKey(key).withOperator("Exists").withEffect("NoExecute").withTolerationSeconds(seconds).build();
    }

    private static Set<String> unreachableEffects(Node node) {
        if (node.getSpec().getTaints() == null) {
            return Set.of();
        }
        return Set.copyOf(node.getSpec().getTaints().stream().filter(t -> UNREACHABLE.equals(t.getKey())).map(Taint::getEffect).toList());
    }

    private static NodeCondition condition(Node node, String type) {
        return node.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }
}
