package io.quarkube.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkube.agent.testing.TestAgents;
import io.quarkube.agent.testing.controlplane.ControlPlane;

/**
 * The scheduler of the control plane placing pods on simulated nodes kept by the real node agent:
 * resources running out, taints and tolerations, node affinity and topology spread. Each test has
 * its own nodes (1 cpu, 2Gi each) and namespace, removed afterwards.
 */
@ExtendWith(EndToEndControlPlane.class)
class SchedulingEndToEndTest {

    private static final String ZONE = "topology.kubernetes.io/zone";

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
        this.prefix = "sched-" + UUID.randomUUID().toString().substring(0, 6);
        this.cluster = new TestCluster(admin, prefix);
    }

    @AfterEach
    void tearDown() {
        cluster.delete();
        groups.forEach(SimulatedNodes::close);
    }

    private SimulatedNodes nodes(int count) {
        SimulatedNodes nodes = SimulatedNodes.start(controlPlane, dir, prefix, count);
        groups.add(nodes);
        return nodes;
    }

    @Test
    void podsBeyondTheNodesCpuStayPendingWithFailedSchedulingUntilRoomIsMade() {
        SimulatedNodes nodes = nodes(3);
        for (int i = 0; i < 4; i++) {
            cluster.create(TestCluster.pod("fill-" + i, "fill", "600m", "100Mi"));
        }

        TestAgents.await(TestCluster.WAIT, "3 pods bound and 1 unschedulable", () -> {
            List<Pod> pods = cluster.pods("fill");
            return pods.stream().filter(TestCluster::bound).count() == 3
                    && pods.stream().anyMatch(p -> TestCluster.condition(p, "PodScheduled").map(c -> "False".equals(c.getStatus())).orElse(false));
        });
        List<Pod> pods = cluster.pods("fill");
        assertEquals(3, pods.stream().filter(TestCluster::bound).map(p -> p.getSpec().getNodeName()).distinct().count(),
                "one 600m pod per 1-cpu node");
        Pod pending = pods.stream().filter(p -> !TestCluster.bound(p)).findFirst().orElseThrow();
        String expected = "0/3 nodes are available: 3 Insufficient cpu.";
        assertEquals("Pending", pending.getStatus().getPhase());
        PodCondition scheduled = TestCluster.condition(pending, "PodScheduled").orElseThrow();
        assertEquals("Unschedulable", scheduled.getReason());
        assertEquals(expected, scheduled.getMessage());
        Event failed = cluster.awaitEvent(pending.getMetadata().getName(), "FailedScheduling");
        assertEquals("Warning", failed.getType());
        assertEquals(expected, failed.getMessage());
        assertEquals("default-scheduler", failed.getSource().getComponent());

        Pod victim = pods.stream().filter(TestCluster::bound).findFirst().orElseThrow();
        admin.pods().inNamespace(cluster.namespace()).withName(victim.getMetadata().getName()).withGracePeriod(0).delete();

        Pod placed = cluster.await(pending.getMetadata().getName(), "bound once a node has room", TestCluster::bound);
        assertEquals(victim.getSpec().getNodeName(), placed.getSpec().getNodeName());
        cluster.awaitRunning(pending.getMetadata().getName());
        Event scheduledEvent = cluster.awaitEvent(pending.getMetadata().getName(), "Scheduled");
        assertEquals("Successfully assigned " + cluster.namespace() + "/" + pending.getMetadata().getName() + " to "
                + placed.getSpec().getNodeName(), scheduledEvent.getMessage());
        assertTrue(nodes.names().contains(placed.getSpec().getNodeName()));
    }

    @Test
    void taintedNodeTakesOnlyPodsThatTolerateItsTaint() {
        SimulatedNodes nodes = nodes(3);
        nodes.taint(0, new TaintBuilder().withKey("dedicated").withValue("gpu").withEffect("NoSchedule").build());
        String tainted = nodes.name(0);

        Pod pinned = TestCluster.pod("pinned", "pinned", "10m", "10Mi");
        pinned.getSpec().setNodeSelector(Map.of("kubernetes.io/hostname", tainted));
        cluster.create(pinned);
        Event failed = cluster.awaitEvent("pinned", "FailedScheduling");
        assertEquals("0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, "
                + "2 node(s) didn't match Pod's node affinity/selector.", failed.getMessage());

        for (int i = 0; i < 6; i++) {
            cluster.create(TestCluster.pod("plain-" + i, "plain", "10m", "10Mi"));
        }
        Pod tolerating = TestCluster.pod("tolerating", "tolerating", "10m", "10Mi");
        tolerating.getSpec().setNodeSelector(Map.of("kubernetes.io/hostname", tainted));
        tolerating.getSpec().setTolerations(List.of(new TolerationBuilder().withKey("dedicated").withOperator("Equal")
                .withValue("gpu").withEffect("NoSchedule").build()));
        cluster.create(tolerating);

        assertEquals(tainted, cluster.await("tolerating", "bound", TestCluster::bound).getSpec().getNodeName());
        TestAgents.await(TestCluster.WAIT, "6 plain pods bound", () -> cluster.pods("plain").stream().filter(TestCluster::bound).count() == 6);
        for (Pod plain : cluster.pods("plain")) {
            assertNotEquals(tainted, plain.getSpec().getNodeName(), plain.getMetadata().getName() + " ignored the taint");
        }
        assertTrue(!TestCluster.bound(cluster.get("pinned")), "a pod that does not tolerate the taint stays Pending");
        cluster.awaitRunning("tolerating");
    }

    @Test
    void requiredAndPreferredNodeAffinityAndZoneSpreadPlacePods() {
        SimulatedNodes nodes = nodes(4);
        // zone-a has three nodes, zone-b one: spreading by node would put 3 of 4 pods in zone-a
        for (int i = 0; i < 3; i++) {
            nodes.label(i, ZONE, "zone-a");
        }
        nodes.label(3, ZONE, "zone-b");

        Pod required = TestCluster.pod("required", "affinity", "10m", "10Mi");
        required.getSpec().setAffinity(zoneAffinity(true));
        cluster.create(required);
        assertEquals(nodes.name(3), cluster.await("required", "bound", TestCluster::bound).getSpec().getNodeName());

        Pod preferred = TestCluster.pod("preferred", "affinity", "10m", "10Mi");
        preferred.getSpec().setAffinity(zoneAffinity(false));
        cluster.create(preferred);
        assertEquals(nodes.name(3), cluster.await("preferred", "bound", TestCluster::bound).getSpec().getNodeName());

        for (int i = 0; i < 4; i++) {
            Pod spread = TestCluster.pod("spread-" + i, "spread", "10m", "10Mi");
            spread.getSpec().setTopologySpreadConstraints(List.of(new TopologySpreadConstraintBuilder()
                    .withMaxSkew(1).withTopologyKey(ZONE).withWhenUnsatisfiable("DoNotSchedule")
                    .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "spread")).build())
                    .build()));
            cluster.create(spread);
        }
        TestAgents.await(TestCluster.WAIT, "4 spread pods bound", () -> cluster.pods("spread").stream().filter(TestCluster::bound).count() == 4);
        Map<String, Integer> perZone = new TreeMap<>();
        for (Pod pod : cluster.pods("spread")) {
            String zone = admin.nodes().withName(pod.getSpec().getNodeName()).get().getMetadata().getLabels().get(ZONE);
            perZone.merge(zone, 1, Integer::sum);
        }
        assertEquals(Map.of("zone-a", 2, "zone-b", 2), perZone);
    }

    private static io.fabric8.kubernetes.api.model.Affinity zoneAffinity(boolean required) {
        var term = new io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder().withMatchExpressions(
                new NodeSelectorRequirementBuilder().withKey(ZONE).withOperator("In").withValues("zone-b").build()).build();
        var affinity = new io.fabric8.kubernetes.api.model.NodeAffinityBuilder();
        if (required) {
            affinity.withNewRequiredDuringSchedulingIgnoredDuringExecution().withNodeSelectorTerms(term).endRequiredDuringSchedulingIgnoredDuringExecution();
        } else {
            affinity.addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(100).withPreference(term).endPreferredDuringSchedulingIgnoredDuringExecution();
        }
        return new io.fabric8.kubernetes.api.model.AffinityBuilder().withNodeAffinity(affinity.build()).build();
    }
}
