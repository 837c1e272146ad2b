package io.quarkube.scheduler.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class FitErrorTest {

    @Test
    void reasonsAreCountedOverNodesAndSortedAsKubeSchedulerDoes() {
        FitError error = new FitError(3, Map.of(
                "a", Status.unschedulable("Insufficient cpu"),
                "b", Status.unresolvable("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"),
                "c", Status.unresolvable("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }")));
        assertEquals("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint "
                + "{node-role.kubernetes.io/control-plane: }.", error.message());
    }

    @Test
    void aNodeWithSeveralReasonsCountsInEach() {
        FitError error = new FitError(2, Map.of(
                "a", Status.unschedulable("Insufficient cpu", "Insufficient memory"),
                "b", Status.unschedulable("Insufficient memory")));
        assertEquals("0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.", error.message());
    }

    @Test
    void noNodes() {
        assertEquals("no nodes available to schedule pods", new FitError(0, Map.of()).message());
    }
}
