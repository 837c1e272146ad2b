package io.quarkube.scheduler.plugins.nodename;

import static io.quarkube.scheduler.testing.TestNodes.node;
import static io.quarkube.scheduler.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Pod;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.Status;

class NodeNameTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                argumentSet("no node name", pod("p").build(), Status.success()),
                argumentSet("this node", pod("p").onNode("n1").build(), Status.success()),
                argumentSet("another node", pod("p").onNode("n2").build(),
                        Status.unresolvable("node(s) didn't match the requested node name")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filter(Pod pod, Status expected) {
        assertEquals(expected, new NodeName().filter(new CycleState(), pod, new NodeInfo(node("n1").build())));
    }
}
