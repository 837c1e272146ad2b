package io.quarkube.scheduler.plugins.podtopologyspread;

import static io.quarkube.scheduler.testing.TestNodes.node;
import static io.quarkube.scheduler.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.Snapshot;
import io.quarkube.scheduler.framework.Status;

class PodTopologySpreadTest {

    private static final Status SKEWED = Status.unschedulable("node(s) didn't match pod topology spread constraints");

    private static TopologySpreadConstraint constraint(String key, int maxSkew, String when) {
        return new TopologySpreadConstraintBuilder().withTopologyKey(key).withMaxSkew(maxSkew).withWhenUnsatisfiable(when)
                .withLabelSelector(new LabelSelector(null, Map.of("app", "web"))).build();
    }

    private static Pod web(String name, String node) {
        return pod(name).label("app", "web").onNode(node).build();
    }

    /** Zone a: n1 (2 web pods), n2 (1); zone b: n3 (0); n4 has no zone label. */
    private static Snapshot cluster() {
        return Snapshot.of(
                NodeInfo.of(node("n1").label("zone", "a").build(), web("w1", "n1"), web("w2", "n1"), pod("other").onNode("n1").build()),
                NodeInfo.of(node("n2").label("zone", "a").build(), web("w3", "n2")),
                NodeInfo.of(node("n3").label("zone", "b").build()),
                NodeInfo.of(node("n4").build()));
    }

    static Stream<Arguments> hard() {
        return Stream.of(
                argumentSet("hostname, maxSkew 1: the emptiest node", "kubernetes.io/hostname", 1, "n3", Status.success()),
                argumentSet("hostname, maxSkew 1: a node already 2 ahead", "kubernetes.io/hostname", 1, "n1", SKEWED),
                argumentSet("hostname, maxSkew 1: a node 1 ahead", "kubernetes.io/hostname", 1, "n2", SKEWED),
                argumentSet("hostname, maxSkew 3 allows the fullest", "kubernetes.io/hostname", 3, "n1", Status.success()),
                argumentSet("zone, maxSkew 1: the empty zone", "zone", 1, "n3", Status.success()),
                argumentSet("zone, maxSkew 1: the full zone", "zone", 1, "n2", SKEWED),
                argumentSet("a node without the key", "zone", 1, "n4",
                        Status.unresolvable("node(s) didn't match pod topology spread constraints (missing required label)")));
    }

    @ParameterizedTest
    @MethodSource
    void hard(String key, int maxSkew, String node, Status expected) {
        Pod pod = pod("new").label("app", "web").spread(constraint(key, maxSkew, "DoNotSchedule")).build();
        PodTopologySpread plugin = new PodTopologySpread();
        CycleState state = new CycleState();
        Snapshot snapshot = cluster();
        plugin.preFilter(state, pod, snapshot);
        assertEquals(expected, plugin.filter(state, pod, snapshot.get(node)));
    }

    @Test
    void scheduleAnywayDoesNotFilter() {
        Pod pod = pod("new").label("app", "web").spread(constraint("zone", 1, "ScheduleAnyway")).build();
        PodTopologySpread plugin = new PodTopologySpread();
        CycleState state = new CycleState();
        assertEquals(Status.skip(), plugin.preFilter(state, pod, cluster()));
        assertEquals(Status.success(), plugin.filter(state, pod, cluster().get("n1")));
    }

    @Test
    void scheduleAnywayScoresTheLessCrowdedNodesHigher() {
        Pod pod = pod("new").label("app", "web").spread(constraint("kubernetes.io/hostname", 1, "ScheduleAnyway")).build();
        PodTopologySpread plugin = new PodTopologySpread();
        CycleState state = new CycleState();
        Snapshot snapshot = cluster();
        List<NodeInfo> feasible = List.of(snapshot.get("n1"), snapshot.get("n2"), snapshot.get("n3"));
        plugin.preScore(state, pod, feasible, snapshot);
        long[] scores = feasible.stream().mapToLong(node -> plugin.score(state, pod, node)).toArray();
        plugin.normalize(state, pod, scores);
        assertArrayEquals(new long[] { 0, 50, 100 }, scores);
    }
}
