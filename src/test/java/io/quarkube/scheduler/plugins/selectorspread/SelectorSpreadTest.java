package io.quarkube.scheduler.plugins.selectorspread;

import static io.quarkube.scheduler.testing.TestNodes.node;
import static io.quarkube.scheduler.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.Snapshot;
import io.quarkube.scheduler.framework.Status;

class SelectorSpreadTest {

    private static final LabelSelector WEB = new LabelSelector(null, Map.of("app", "web"));

    @Test
    void nodesWithFewerPodsOfTheSameServiceScoreHigher() {
        Snapshot snapshot = Snapshot.of(
                NodeInfo.of(node("n1").build(), pod("w1").label("app", "web").onNode("n1").build(),
                        pod("w2").label("app", "web").onNode("n1").build()),
                NodeInfo.of(node("n2").build(), pod("w3").label("app", "web").onNode("n2").build(),
                        pod("db").label("app", "db").onNode("n2").build()),
                NodeInfo.of(node("n3").build(), pod("elsewhere").namespace("other").label("app", "web").onNode("n3").build()));
        Pod pod = pod("new").label("app", "web").build();
        SelectorSpread plugin = new SelectorSpread(p -> List.of(WEB));
        CycleState state = new CycleState();
        plugin.preScore(state, pod, snapshot.nodes(), snapshot);
        long[] scores = snapshot.nodes().stream().mapToLong(node -> plugin.score(state, pod, node)).toArray();
        assertArrayEquals(new long[] { 2, 1, 0 }, scores);
        plugin.normalize(state, pod, scores);
        assertArrayEquals(new long[] { 0, 50, 100 }, scores);
    }

    @Test
    void aPodNoServiceOrReplicaSetSelectsIsNotScored() {
        SelectorSpread plugin = new SelectorSpread(p -> List.of());
        assertEquals(Status.skip(), plugin.preScore(new CycleState(), pod("p").build(), List.of(), Snapshot.of()));
    }

    @Test
    void theZoneCountWeighsTwoThirds() {
        // zone a: n1 (1 web pod), n2 (0); zone b: n3 (0)
        Snapshot snapshot = Snapshot.of(
                NodeInfo.of(node("n1").label(SelectorSpread.ZONE, "a").build(), pod("w1").label("app", "web").onNode("n1").build()),
                NodeInfo.of(node("n2").label(SelectorSpread.ZONE, "a").build()),
                NodeInfo.of(node("n3").label(SelectorSpread.ZONE, "b").build()));
        Pod pod = pod("new").label("app", "web").build();
        SelectorSpread plugin = new SelectorSpread(p -> List.of(WEB));
        CycleState state = new CycleState();
        plugin.preScore(state, pod, snapshot.nodes(), snapshot);
        long[] scores = snapshot.nodes().stream().mapToLong(node -> plugin.score(state, pod, node)).toArray();
        plugin.normalize(state, pod, scores);
        // n1: node 0, zone 0; n2: node 100, zone 0 -> 33; n3: node 100, zone 100
        assertArrayEquals(new long[] { 0, 33, 100 }, scores);
    }
}
