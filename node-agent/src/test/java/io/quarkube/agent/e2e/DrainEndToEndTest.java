package io.quarkube.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.quarkube.agent.testing.TestAgents;
import io.quarkube.agent.testing.controlplane.ControlPlane;

/**
 * kubectl 1.33's drain against simulated nodes: it cordons the node and evicts its pods through the
 * eviction subresource, which refuses (429) while a PodDisruptionBudget allows no disruption, so
 * the drain waits for the ReplicaSet's replacement to become Ready elsewhere.
 */
@ExtendWith(EndToEndControlPlane.class)
class DrainEndToEndTest {

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
        this.prefix = "drain-" + UUID.randomUUID().toString().substring(0, 6);
        this.cluster = new TestCluster(admin, prefix);
    }

    @AfterEach
    void tearDown() {
        cluster.delete();
        groups.forEach(SimulatedNodes::close);
    }

    private SimulatedNodes nodes(String suffix) {
        SimulatedNodes nodes = SimulatedNodes.start(controlPlane, dir, prefix + "-" + suffix, 1);
        groups.add(nodes);
        return nodes;
    }

    @Test
    void drainEvictsOnlyAsFastAsTheDisruptionBudgetAllows() throws Exception {
        // the node to drain comes first and alone, so both replicas land on it
        String drained = nodes("a").name(0);
        admin.apps().replicaSets().inNamespace(cluster.namespace()).resource(new ReplicaSetBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata()
                .withSpec(TestCluster.pod("ignored", "web", "100m", "64Mi").getSpec()).endTemplate()
                .endSpec().build()).create();
        TestAgents.await(TestCluster.WAIT, "2 web pods Ready on " + drained, () -> cluster.pods("web").stream()
                .filter(p -> drained.equals(p.getSpec().getNodeName()) && TestCluster.ready(p)).count() == 2);
        admin.policy().v1().podDisruptionBudget().inNamespace(cluster.namespace()).resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withMinAvailable(new IntOrString(2)).withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector().endSpec()
                .build()).create();
        awaitBudget(2, 0);
        String other = nodes("b").name(0);

        // minAvailable 2 of 2: no pod may go, the drain gives up at its timeout
        KubectlRun blocked = kubectl("drain", drained, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=12s");

        assertNotEquals(0, blocked.exitCode(), blocked.output());
        assertTrue(blocked.output().contains("Cannot evict pod as it would violate the pod's disruption budget."), blocked.output());
        assertEquals(Boolean.TRUE, admin.nodes().withName(drained).get().getSpec().getUnschedulable(), "drain cordons the node");
        List<Pod> kept = cluster.pods("web");
        assertEquals(2, kept.stream().filter(p -> drained.equals(p.getSpec().getNodeName()) && !TestCluster.terminating(p)).count(),
                "no pod evicted: " + kept);

        admin.policy().v1().podDisruptionBudget().inNamespace(cluster.namespace()).withName("web").edit(pdb -> {
            pdb.getSpec().setMinAvailable(new IntOrString(1));
            return pdb;
        });
        awaitBudget(1, 1);
        // every Ready, not terminating web pod, as a watch sees them while the drain runs
        Set<String> ready = ConcurrentHashMap.newKeySet();
        AtomicInteger fewestReady = new AtomicInteger(Integer.MAX_VALUE);
        cluster.pods("web").stream().filter(p -> TestCluster.ready(p) && !TestCluster.terminating(p)).forEach(p -> ready.add(p.getMetadata().getName()));
        KubectlRun done;
        try (Watch watch = admin.pods().inNamespace(cluster.namespace()).withLabel("app", "web").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action != Action.DELETED && TestCluster.ready(pod) && !TestCluster.terminating(pod)) {
                    ready.add(pod.getMetadata().getName());
                } else {
                    ready.remove(pod.getMetadata().getName());
                }
                fewestReady.accumulateAndGet(ready.size(), Math::min);
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            done = kubectl("drain", drained, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=90s");
        }

        assertEquals(0, done.exitCode(), done.output());
        assertTrue(done.output().contains("node/" + drained + " drained"), done.output());
        assertTrue(done.output().contains("Cannot evict pod as it would violate the pod's disruption budget."),
                "the second eviction waits for the first pod's replacement: " + done.output());
        assertEquals(1, fewestReady.get(), "Ready web pods never fell below the budget's minAvailable");
        TestAgents.await(TestCluster.WAIT, "2 web pods Ready on " + other, () -> cluster.pods("web").stream()
                .filter(p -> other.equals(p.getSpec().getNodeName()) && TestCluster.ready(p) && !TestCluster.terminating(p)).count() == 2);
        assertTrue(cluster.pods("web").stream().noneMatch(p -> drained.equals(p.getSpec().getNodeName()) && !TestCluster.terminating(p)));
    }

    private void awaitBudget(int desiredHealthy, int disruptionsAllowed) {
        TestAgents.await(TestCluster.WAIT, "budget with desiredHealthy " + desiredHealthy + ", disruptionsAllowed " + disruptionsAllowed, () -> {
            PodDisruptionBudget pdb = admin.policy().v1().podDisruptionBudget().inNamespace(cluster.namespace()).withName("web").get();
            return pdb.getStatus() != null && pdb.getStatus().getObservedGeneration() != null
                    && pdb.getStatus().getObservedGeneration().equals(pdb.getMetadata().getGeneration())
                    && Integer.valueOf(desiredHealthy).equals(pdb.getStatus().getDesiredHealthy())
                    && Integer.valueOf(disruptionsAllowed).equals(pdb.getStatus().getDisruptionsAllowed());
        });
    }

    /** kubectl drain's exit code and what it printed, both streams (the eviction refusals go to stderr). */
    private record KubectlRun(int exitCode, String output) {
    }

    private KubectlRun kubectl(String... args) {
        Kubectl.Result result = new Kubectl(33, controlPlane.adminKubeconfig()).run(args);
        return new KubectlRun(result.exitCode(), result.stdout() + result.stderr());
    }
}
