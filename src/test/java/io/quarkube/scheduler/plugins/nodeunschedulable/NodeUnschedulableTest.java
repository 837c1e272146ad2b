package io.quarkube.scheduler.plugins.nodeunschedulable;

import static io.quarkube.scheduler.testing.TestNodes.node;
import static io.quarkube.scheduler.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.Status;

class NodeUnschedulableTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                argumentSet("schedulable node", pod("p").build(), node("n").build(), Status.success()),
                argumentSet("cordoned node", pod("p").build(), node("n").unschedulable().build(),
                        Status.unresolvable("node(s) were unschedulable")),
                argumentSet("cordoned node, pod tolerates the unschedulable taint",
                        pod("p").toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoSchedule", null).build(),
                        node("n").unschedulable().build(), Status.success()),
                argumentSet("cordoned node, pod tolerates everything", pod("p").toleration(null, "Exists", null, null, null).build(),
                        node("n").unschedulable().build(), Status.success()),
                argumentSet("cordoned node, toleration of another effect",
                        pod("p").toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoExecute", null).build(),
                        node("n").unschedulable().build(), Status.unresolvable("node(s) were unschedulable")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filter(Pod pod, Node node, Status expected) {
        assertEquals(expected, new NodeUnschedulable().filter(new CycleState(), pod, new NodeInfo(node)));
    }
}
