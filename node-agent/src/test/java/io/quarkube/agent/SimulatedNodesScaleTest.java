package io.quarkube.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkube.agent.config.AgentConfig;
import io.quarkube.agent.runtime.SimulatedRuntime;
import io.quarkube.agent.testing.TestAgents;
import io.quarkube.agent.testing.controlplane.ControlPlane;
import io.quarkube.agent.testing.controlplane.ControlPlaneExtension;

/** One agent process keeps 1,000 simulated nodes registered, Ready and leased (issue 3's scale goal). */
@ExtendWith(ControlPlaneExtension.class)
class SimulatedNodesScaleTest {

    private static final int NODES = 1_000;

    @TempDir
    Path dir;

    @Test
    void thousandSimulatedNodesAreReadyAndRenewTheirLeases(ControlPlane controlPlane) {
        KubernetesClient admin = controlPlane.admin();
        String prefix = "scale";
        Set<String> names = IntStream.range(0, NODES).mapToObj(i -> prefix + "-" + i).collect(Collectors.toSet());
        AgentConfig config = TestAgents.config(dir, Map.of());
        SimulatedRuntime.SimulatedPodNetwork network = new SimulatedRuntime.SimulatedPodNetwork("10.90.0.0");
        long threadsBefore = Thread.activeCount();
        try (KubernetesClient nodeClient = ControlPlane.client(controlPlane.nodeKubeconfig(prefix));
                Agent agent = TestAgents.start(nodeClient, config, List.copyOf(new java.util.TreeSet<>(names)),
                        n -> new SimulatedRuntime(Clock.systemUTC(), Duration.ZERO, Duration.ZERO, network))) {

            TestAgents.await(Duration.ofSeconds(90), NODES + " Ready nodes", () -> readyNodes(admin, names) == NODES);
            ZonedDateTime allReady = ZonedDateTime.now();
            TestAgents.await(Duration.ofSeconds(30), "every lease renewed after all nodes were Ready",
                    () -> leasesRenewedAfter(admin, names, allReady) == NODES);

            long agentThreads = Thread.activeCount() - threadsBefore;
            // Shared executors: the thread count does not grow with the number of nodes.
            assertTrue(agentThreads < 100, "threads started for " + NODES + " nodes: " + agentThreads);

            // The one informer of all simulated nodes hands a pod to the node it is bound to.
            admin.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("on-scale-777").endMetadata()
                    .withNewSpec().withNodeName(prefix + "-777").addNewContainer().withName("app").withImage("busybox:1.36").endContainer()
                    .endSpec().build()).create();
            TestAgents.await(Duration.ofSeconds(30), "pod on node 777 Running", () -> {
                Pod pod = admin.pods().inNamespace("default").withName("on-scale-777").get();
                return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
            });
            admin.pods().inNamespace("default").withName("on-scale-777").withGracePeriod(1).delete();
            TestAgents.await(Duration.ofSeconds(30), "pod removed", () -> admin.pods().inNamespace("default").withName("on-scale-777").get() == null);
        }
    }

    private static long readyNodes(KubernetesClient admin, Set<String> names) {
        return admin.nodes().list().getItems().stream()
                .filter(n -> names.contains(n.getMetadata().getName()))
                .filter(SimulatedNodesScaleTest::ready)
                .count();
    }

    private static long leasesRenewedAfter(KubernetesClient admin, Set<String> names, ZonedDateTime after) {
        return admin.leases().inNamespace("kube-node-lease").list().getItems().stream()
                .filter(l -> names.contains(l.getMetadata().getName()))
                .map(Lease::getSpec)
                .filter(spec -> spec.getRenewTime() != null && spec.getRenewTime().isAfter(after))
                .count();
    }

    private static boolean ready(Node node) {
        return node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }
}
