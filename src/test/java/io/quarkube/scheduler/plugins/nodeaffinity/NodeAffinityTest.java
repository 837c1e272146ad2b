package io.quarkube.scheduler.plugins.nodeaffinity;

import static io.quarkube.scheduler.testing.TestNodes.node;
import static io.quarkube.scheduler.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.Status;

class NodeAffinityTest {

    private static final Status MISMATCH = Status.unresolvable("node(s) didn't match Pod's node affinity/selector");

    private static NodeSelectorTerm term(String key, String operator, String... values) {
        return new NodeSelectorTerm(List.of(new NodeSelectorRequirement(key, operator, List.of(values))), List.of());
    }

    private static Affinity required(NodeSelectorTerm... terms) {
        return new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNodeSelectorTerms(terms).endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                argumentSet("nothing asked", pod("p").build(), Status.success()),
                argumentSet("nodeSelector matches", pod("p").nodeSelector("zone", "a").build(), Status.success()),
                argumentSet("nodeSelector misses", pod("p").nodeSelector("zone", "b").build(), MISMATCH),
                argumentSet("required term matches", pod("p").affinity(required(term("zone", "In", "a", "c"))).build(), Status.success()),
                argumentSet("terms are ORed", pod("p").affinity(required(term("zone", "In", "b"), term("disk", "DoesNotExist"))).build(),
                        Status.success()),
                argumentSet("no term matches", pod("p").affinity(required(term("zone", "NotIn", "a"))).build(), MISMATCH),
                argumentSet("nodeSelector and affinity both apply",
                        pod("p").nodeSelector("zone", "b").affinity(required(term("zone", "In", "a"))).build(), MISMATCH));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filter(Pod pod, Status expected) {
        assertEquals(expected, new NodeAffinity().filter(new CycleState(), pod, new NodeInfo(node("n").label("zone", "a").build())));
    }

    @Test
    void preferredTermsWeighTheNodesTheyMatch() {
        Affinity preferred = new AffinityBuilder().withNewNodeAffinity().withPreferredDuringSchedulingIgnoredDuringExecution(
                new PreferredSchedulingTerm(term("zone", "In", "a"), 20),
                new PreferredSchedulingTerm(term("disk", "In", "ssd"), 80)).endNodeAffinity().build();
        Pod pod = pod("p").affinity(preferred).build();
        NodeAffinity plugin = new NodeAffinity();
        long[] scores = {
            plugin.score(new CycleState(), pod, new NodeInfo(node("none").build())),
            plugin.score(new CycleState(), pod, new NodeInfo(node("zone").label("zone", "a").build())),
            plugin.score(new CycleState(), pod, new NodeInfo(node("both").label("zone", "a").label("disk", "ssd").build())) };
        assertArrayEquals(new long[] { 0, 20, 100 }, scores);
        plugin.normalize(new CycleState(), pod, scores);
        assertArrayEquals(new long[] { 0, 20, 100 }, scores);
    }
}
