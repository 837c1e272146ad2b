package io.quarkube.controllers.nodelifecycle;

import static io.quarkube.scheduler.testing.TestNodes.node;
import static io.quarkube.scheduler.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;

class NodeHealthTest {

    private static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    private static final String NOT_READY = "node.kubernetes.io/not-ready";
    private static final List<Taint> UNREACHABLE_TAINTS = List.of(
            new TaintBuilder().withKey(UNREACHABLE).withEffect("NoSchedule").build(),
            new TaintBuilder().withKey(UNREACHABLE).withEffect("NoExecute").withTimeAdded("2026-01-01T00:00:00Z").build());

    @Test
    void aSilentNodesConditionsBecomeUnknown() {
        Node node = node("n").build();
        assertTrue(NodeHealth.markUnknown(node, "2026-01-01T00:00:00Z"));
        NodeCondition ready = NodeHealth.condition(node, "Ready");
        assertEquals("Unknown", ready.getStatus());
        assertEquals("NodeStatusUnknown", ready.getReason());
        assertEquals("Kubelet stopped posting node status.", ready.getMessage());
        assertEquals("2026-01-01T00:00:00Z", ready.getLastTransitionTime());
        assertEquals("NodeStatusNeverUpdated", NodeHealth.condition(node, "MemoryPressure").getReason());
        assertFalse(NodeHealth.markUnknown(node, "2026-01-01T00:01:00Z"), "already Unknown: nothing changes");
        assertEquals("2026-01-01T00:00:00Z", NodeHealth.condition(node, "Ready").getLastTransitionTime());
    }

    static Stream<Arguments> taints() {
        return Stream.of(
                argumentSet("Ready: none", "True", List.of()),
                argumentSet("not ready", "False", List.of(NOT_READY + ":NoSchedule", NOT_READY + ":NoExecute")),
                argumentSet("unknown", "Unknown", List.of(UNREACHABLE + ":NoSchedule", UNREACHABLE + ":NoExecute")));
    }

    @ParameterizedTest
    @MethodSource
    void taints(String ready, List<String> expected) {
        List<Taint> current = List.of(new TaintBuilder().withKey("dedicated").withValue("gpu").withEffect("NoSchedule").build(),
                new TaintBuilder().withKey(NOT_READY).withEffect("NoSchedule").build());
        List<Taint> result = NodeHealth.withLifecycleTaints(current, NodeHealth.wantedTaintKeys(ready), "2026-01-01T00:00:00Z");
        assertEquals("dedicated", result.get(0).getKey(), "other taints are kept");
        assertEquals(expected, result.stream().skip(1).map(t -> t.getKey() + ":" + t.getEffect()).toList());
    }

    static Stream<Arguments> evictions() {
        return Stream.of(
                argumentSet("no toleration: at once", pod("p").build(), 0L),
                argumentSet("the default toleration: after 300 s",
                        pod("p").toleration(UNREACHABLE, "Exists", null, "NoExecute", 300L).build(), 300_000L),
                argumentSet("the smallest tolerationSeconds counts",
                        pod("p").toleration(UNREACHABLE, "Exists", null, "NoExecute", 300L)
                                .toleration(null, "Exists", null, "NoExecute", 5L).build(), 5_000L),
                argumentSet("tolerated forever", pod("p").toleration(UNREACHABLE, "Exists", null, "NoExecute", null).build(), -1L),
                argumentSet("a toleration of NoSchedule only does not help",
                        pod("p").toleration(UNREACHABLE, "Exists", null, "NoSchedule", null).build(), 0L),
                argumentSet("zero seconds: at once", pod("p").toleration(UNREACHABLE, "Exists", null, "NoExecute", 0L).build(), 0L));
    }

    @ParameterizedTest
    @MethodSource
    void evictions(Pod pod, long expectedMillis) {
        assertEquals(expectedMillis, NodeHealth.evictAfterMillis(pod, UNREACHABLE_TAINTS));
    }

    @Test
    void noNoExecuteTaintNoEviction() {
        assertEquals(-1, NodeHealth.evictAfterMillis(pod("p").build(), List.of(UNREACHABLE_TAINTS.get(0))));
    }

    @Test
    void podsOfANodeNotReadyAreNotReady() {
        Pod pod = pod("p").build();
        pod.getStatus().setConditions(new java.util.ArrayList<>(List.of(
                new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("Ready").withStatus("True").build(),
                new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("PodScheduled").withStatus("True").build())));
        assertTrue(NodeHealth.markNotReady(pod, "2026-01-01T00:00:00Z"));
        assertEquals("False", pod.getStatus().getConditions().get(0).getStatus());
        assertEquals("True", pod.getStatus().getConditions().get(1).getStatus());
        assertFalse(NodeHealth.markNotReady(pod, "2026-01-01T00:01:00Z"), "already not ready");
        assertFalse(NodeHealth.markNotReady(pod("q").build(), "2026-01-01T00:00:00Z"), "no conditions, nothing to change");
    }
}
