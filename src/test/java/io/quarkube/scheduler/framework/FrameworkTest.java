package io.quarkube.scheduler.framework;

import static io.quarkube.scheduler.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Pod;
import io.quarkube.scheduler.framework.Framework.WeightedScore;
import io.quarkube.scheduler.testing.TestNodes;

class FrameworkTest {

    /** Rejects nodes whose name is listed; scores a node by its number suffix. */
    private static final class ByName implements FilterPlugin, ScorePlugin, ReservePlugin {
        final List<String> rejected;
        final List<String> calls = new ArrayList<>();

        ByName(String... rejected) {
            this.rejected = List.of(rejected);
        }

        @Override
        public String name() {
            return "ByName";
        }

        @Override
        public Status filter(CycleState state, Pod pod, NodeInfo node) {
            return rejected.contains(node.name()) ? Status.unschedulable("node(s) were rejected") : Status.success();
        }

        @Override
        public long score(CycleState state, Pod pod, NodeInfo node) {
            return Long.parseLong(node.name().substring(1));
        }

        @Override
        public Status reserve(CycleState state, Pod pod, String nodeName) {
            calls.add("reserve " + nodeName);
            return rejected.contains("reserve") ? Status.error("no") : Status.success();
        }

        @Override
        public void unreserve(CycleState state, Pod pod, String nodeName) {
            calls.add("unreserve " + nodeName);
        }
    }

    private static Snapshot nodes(String... names) {
        List<NodeInfo> infos = new ArrayList<>();
        for (String name : names) {
            infos.add(new NodeInfo(TestNodes.node(name).build()));
        }
        return new Snapshot(infos);
    }

    @Test
    void theFeasibleNodeWithTheHighestWeightedScoreWins() {
        ByName plugin = new ByName("n9");
        Framework framework = new Framework(List.of(), List.of(plugin), List.of(new WeightedScore(plugin, 2)), List.of());
        assertEquals("n5", framework.schedule(new CycleState(), pod("p").build(), nodes("n1", "n5", "n9", "n3")).nodeName());
    }

    @Test
    void whenNoNodeFitsEachNodesRejectionIsKept() {
        ByName plugin = new ByName("n1", "n2");
        Framework framework = new Framework(List.of(), List.of(plugin), List.of(), List.of());
        var decision = framework.schedule(new CycleState(), pod("p").build(), nodes("n1", "n2"));
        assertFalse(decision.scheduled());
        assertEquals("0/2 nodes are available: 2 node(s) were rejected.", decision.fitError().message());
    }

    @Test
    void aPreFilterRejectionAppliesToEveryNode() {
        PreFilterPlugin never = new PreFilterPlugin() {
            @Override
            public String name() {
                return "Never";
            }

            @Override
            public Status preFilter(CycleState state, Pod pod, Snapshot snapshot) {
                return Status.unresolvable("pod is not wanted");
            }
        };
        Framework framework = new Framework(List.of(never), List.of(), List.of(), List.of());
        var decision = framework.schedule(new CycleState(), pod("p").build(), nodes("n1", "n2"));
        assertEquals(Map.of("n1", Status.unresolvable("pod is not wanted"), "n2", Status.unresolvable("pod is not wanted")),
                decision.fitError().rejections());
    }

    @Test
    void noNodes() {
        var decision = new Framework(List.of(), List.of(), List.of(), List.of()).schedule(new CycleState(), pod("p").build(), nodes());
        assertNull(decision.nodeName());
        assertEquals("no nodes available to schedule pods", decision.fitError().message());
    }

    @Test
    void aFailedReserveIsUndone() {
        ByName plugin = new ByName("reserve");
        Framework framework = new Framework(List.of(), List.of(), List.of(), List.of(plugin));
        assertFalse(framework.reserve(new CycleState(), pod("p").build(), "n1").isSuccess());
        assertEquals(List.of("reserve n1", "unreserve n1"), plugin.calls);
    }

    static Stream<Arguments> feasibleNodesToFind() {
        return Stream.of(
                Arguments.argumentSet("fewer than 100 nodes: all", 0, 99, 99),
                Arguments.argumentSet("100 nodes, adaptive 50%: still at least 100", 0, 100, 100),
                Arguments.argumentSet("1,000 nodes, adaptive 42%", 0, 1_000, 420),
                Arguments.argumentSet("5,000 nodes, adaptive 10%", 0, 5_000, 500),
                Arguments.argumentSet("10,000 nodes, adaptive floor 5%", 0, 10_000, 500),
                Arguments.argumentSet("configured 10% of 500 nodes: at least 100", 10, 500, 100),
                Arguments.argumentSet("configured 100%", 100, 1_000, 1_000));
    }

    @ParameterizedTest
    @MethodSource
    void feasibleNodesToFind(int percentage, int nodes, int expected) {
        assertEquals(expected, Framework.numFeasibleNodesToFind(percentage, nodes));
    }

    @Test
    void filteringStopsAtTheShareOfNodesToScoreAndTheNextCycleGoesOn() {
        List<String> filtered = new ArrayList<>();
        FilterPlugin recording = new FilterPlugin() {
            @Override
            public String name() {
                return "Recording";
            }

            @Override
            public Status filter(CycleState state, Pod pod, NodeInfo node) {
                filtered.add(node.name());
                return Status.success();
            }
        };
        String[] names = new String[200];
        for (int i = 0; i < names.length; i++) {
            names[i] = "n" + (1000 + i);
        }
        // 30% of 200 nodes is 60, raised to the minimum of 100
        Framework framework = new Framework(List.of(), List.of(recording), List.of(), List.of(), 30);

        framework.schedule(new CycleState(), pod("a").build(), nodes(names));
        assertEquals(100, filtered.size());
        assertEquals("n1000", filtered.get(0));
        filtered.clear();
        framework.schedule(new CycleState(), pod("b").build(), nodes(names));
        assertEquals(100, filtered.size());
        assertEquals("n1100", filtered.get(0), "the second cycle starts where the first stopped");
        filtered.clear();
        framework.schedule(new CycleState(), pod("c").build(), nodes(names));
        assertEquals("n1000", filtered.get(0), "and wraps around");
    }

    @Test
    void withTooFewFeasibleNodesEveryNodeIsFilteredAndItsRejectionKept() {
        String[] names = new String[150];
        for (int i = 0; i < names.length; i++) {
            names[i] = "n" + (1000 + i);
        }
        String[] rejected = java.util.Arrays.copyOf(names, 149);
        Framework framework = new Framework(List.of(), List.of(new ByName(rejected)), List.of(), List.of(), 0);

        var decision = framework.schedule(new CycleState(), pod("p").build(), nodes(names));

        assertEquals("n1149", decision.nodeName());
    }
}
