package io.quarkube.scheduler.plugins.noderesources;

import static io.quarkube.scheduler.testing.TestNodes.node;
import static io.quarkube.scheduler.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Pod;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.Snapshot;
import io.quarkube.scheduler.framework.Status;

class NodeResourcesFitTest {

    /** A node with 2 cpu, 4Gi, 3 pods, 10Gi ephemeral storage, already running 1 cpu / 1Gi. */
    private static NodeInfo halfFull() {
        return NodeInfo.of(node("n").allocatable("2", "4Gi", 3).ephemeralStorage("10Gi").build(),
                pod("e").requests("1", "1Gi").onNode("n").build());
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                argumentSet("fits", pod("p").requests("1", "3Gi").build(), Status.success()),
                argumentSet("no requests fit", pod("p").build(), Status.success()),
                argumentSet("too much cpu", pod("p").requests("1001m", null).build(), Status.unschedulable("Insufficient cpu")),
                argumentSet("too much cpu and memory", pod("p").requests("2", "4Gi").build(),
                        new Status(Status.Code.UNSCHEDULABLE, List.of("Insufficient cpu", "Insufficient memory"))),
                argumentSet("too much ephemeral storage", pod("p").request("ephemeral-storage", "11Gi").build(),
                        Status.unschedulable("Insufficient ephemeral-storage")),
                argumentSet("init container counted as its own maximum",
                        pod("p").requests("100m", null).initContainer("i", null).requests("1500m", null).build(),
                        Status.unschedulable("Insufficient cpu")),
                argumentSet("overhead counted", pod("p").requests("1", null).overhead("1m", "1Mi").build(),
                        Status.unschedulable("Insufficient cpu")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filter(Pod pod, Status expected) {
        NodeResourcesFit plugin = new NodeResourcesFit();
        CycleState state = new CycleState();
        NodeInfo node = halfFull();
        plugin.preFilter(state, pod, Snapshot.of(node));
        assertEquals(expected, plugin.filter(state, pod, node));
    }

    @Test
    void tooManyPods() {
        NodeInfo full = NodeInfo.of(node("n").allocatable("2", "4Gi", 1).build(), pod("e").onNode("n").build());
        assertEquals(Status.unschedulable("Too many pods"), new NodeResourcesFit().filter(new CycleState(), pod("p").build(), full));
    }

    @Test
    void leastAllocatedPrefersTheEmptierNode() {
        NodeResourcesFit plugin = new NodeResourcesFit();
        Pod pod = pod("p").requests("500m", "1Gi").build();
        NodeInfo empty = NodeInfo.of(node("empty").allocatable("2", "4Gi", 10).build());
        long emptyScore = plugin.score(new CycleState(), pod, empty);
        long busyScore = plugin.score(new CycleState(), pod, halfFull());
        // empty: cpu (2000-500)/2000 = 75, memory (4-1)/4 = 75
        assertEquals(75, emptyScore);
        assertTrue(busyScore < emptyScore, busyScore + " < " + emptyScore);
    }

    @Test
    void leastAllocatedOfAnOvercommittedResourceIsZero() {
        assertEquals(0, NodeResourcesFit.leastAllocated(5, 4));
        assertEquals(0, NodeResourcesFit.leastAllocated(1, 0));
        assertEquals(50, NodeResourcesFit.leastAllocated(2, 4));
    }
}
