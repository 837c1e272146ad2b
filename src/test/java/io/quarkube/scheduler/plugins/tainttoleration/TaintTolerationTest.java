package io.quarkube.scheduler.plugins.tainttoleration;

import static io.quarkube.scheduler.testing.TestNodes.node;
import static io.quarkube.scheduler.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.Status;

class TaintTolerationTest {

    private static final Node CONTROL_PLANE = node("n").taint("node-role.kubernetes.io/control-plane", null, "NoSchedule").build();

    static Stream<Arguments> cases() {
        return Stream.of(
                argumentSet("untainted node", pod("p").build(), node("n").build(), Status.success()),
                argumentSet("untolerated NoSchedule", pod("p").build(), CONTROL_PLANE,
                        Status.unresolvable("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }")),
                argumentSet("tolerated by Exists on the key",
                        pod("p").toleration("node-role.kubernetes.io/control-plane", "Exists", null, "NoSchedule", null).build(),
                        CONTROL_PLANE, Status.success()),
                argumentSet("untolerated NoExecute with a value", pod("p").build(),
                        node("n").taint("dedicated", "gpu", "NoExecute").build(),
                        Status.unresolvable("node(s) had untolerated taint {dedicated: gpu}")),
                argumentSet("Equal with the value", pod("p").toleration("dedicated", "Equal", "gpu", null, null).build(),
                        node("n").taint("dedicated", "gpu", "NoExecute").build(), Status.success()),
                argumentSet("Equal with another value", pod("p").toleration("dedicated", "Equal", "cpu", null, null).build(),
                        node("n").taint("dedicated", "gpu", "NoSchedule").build(),
                        Status.unresolvable("node(s) had untolerated taint {dedicated: gpu}")),
                argumentSet("a toleration for another effect", pod("p").toleration("dedicated", "Exists", null, "NoSchedule", null).build(),
                        node("n").taint("dedicated", "gpu", "NoExecute").build(),
                        Status.unresolvable("node(s) had untolerated taint {dedicated: gpu}")),
                argumentSet("PreferNoSchedule does not filter", pod("p").build(),
                        node("n").taint("dedicated", "gpu", "PreferNoSchedule").build(), Status.success()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filter(Pod pod, Node node, Status expected) {
        assertEquals(expected, new TaintToleration().filter(new CycleState(), pod, new NodeInfo(node)));
    }

    @Test
    void fewerUntoleratedPreferNoScheduleTaintsScoreHigher() {
        TaintToleration plugin = new TaintToleration();
        Pod pod = pod("p").toleration("a", "Exists", null, null, null).build();
        long[] scores = {
            plugin.score(new CycleState(), pod, new NodeInfo(node("clean").build())),
            plugin.score(new CycleState(), pod, new NodeInfo(node("tolerated").taint("a", "x", "PreferNoSchedule").build())),
            plugin.score(new CycleState(), pod, new NodeInfo(node("one").taint("b", "x", "PreferNoSchedule").build())),
            plugin.score(new CycleState(), pod, new NodeInfo(node("two").taint("b", "x", "PreferNoSchedule")
                    .taint("c", "x", "PreferNoSchedule").build())) };
        plugin.normalize(new CycleState(), pod, scores);
        assertArrayEquals(new long[] { 100, 100, 50, 0 }, scores);
    }
}
