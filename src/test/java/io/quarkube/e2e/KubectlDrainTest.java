package io.quarkube.e2e;

import static io.quarkube.testing.PodsOnNodes.awaitAllowed;
import static io.quarkube.testing.PodsOnNodes.budget;
import static io.quarkube.testing.PodsOnNodes.exists;
import static io.quarkube.testing.PodsOnNodes.readyPod;
import static io.quarkube.testing.TestCluster.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkube.testing.PodsOnNodes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code kubectl drain} honours PodDisruptionBudgets through the pods/eviction subresource: kubectl
 * 1.30 sends JSON Evictions, 1.33 protobuf ones. No node agent runs here: the pods are bound to a
 * Node object the test creates and made Running/Ready through pods/status by the test, and drain
 * runs with {@code --grace-period=0} because no kubelet would confirm a graceful termination.
 * The pods have no controller, hence {@code --force} (they are still evicted, not deleted).
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class KubectlDrainTest {

    static Stream<Kubectl> versions() {
        return Stream.of(new Kubectl(30), new Kubectl(33));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void drainEvictsUncoveredPodsAndStopsAtTheBudget(Kubectl kubectl) {
        String ns = Manifests.namespace("drain-1-" + kubectl.minor());
        String node = "drain-node-1-" + kubectl.minor();
        PodsOnNodes.node(node);
        readyPod(ns, "guarded-0", "guarded", node);
        readyPod(ns, "guarded-1", "guarded", node);
        readyPod(ns, "loose", "loose", node);
        budget(ns, "guarded", "guarded", 2);
        awaitAllowed(ns, "guarded", 0);

        CommandResult drain = kubectl.run("drain", node, "--force", "--grace-period=0", "--timeout=3s");

        assertNotEquals(0, drain.exitCode(), drain::describe);
        assertTrue(drain.stderr().contains("Cannot evict pod as it would violate the pod's disruption budget."), drain::describe);
        assertTrue(drain.stdout().contains("pod/loose evicted"), drain::describe);
        assertFalse(exists(ns, "loose"), "the pod no budget covers is evicted");
        assertTrue(exists(ns, "guarded-0") && exists(ns, "guarded-1"), "the budget's pods stay");
        assertEquals(Boolean.TRUE, admin().get("/api/v1/nodes/" + node).path("spec.unschedulable"), "drain cordons first");
    }

    /** 1.32+ send a DELETE's DeleteOptions as protobuf, which drain does without the eviction subresource. */
    @Test
    void drainWithoutEvictionDeletesThroughProtobufDeleteOptions() {
        Kubectl kubectl = new Kubectl(33);
        String ns = Manifests.namespace("drain-delete");
        String node = "drain-delete-node";
        PodsOnNodes.node(node);
        readyPod(ns, "plain", "plain", node);

        CommandResult drain = kubectl.run("drain", node, "--force", "--grace-period=0", "--disable-eviction", "--timeout=20s");

        assertEquals(0, drain.exitCode(), drain::describe);
        assertTrue(drain.stdout().contains("pod/plain deleted"), drain::describe);
        assertFalse(exists(ns, "plain"));
    }
}
