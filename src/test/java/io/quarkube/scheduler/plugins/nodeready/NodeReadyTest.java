package io.quarkube.scheduler.plugins.nodeready;

import static io.quarkube.scheduler.testing.TestNodes.node;
import static io.quarkube.scheduler.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.Status;

class NodeReadyTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                argumentSet("Ready", "True", Status.success()),
                argumentSet("not ready", "False", Status.unresolvable("node(s) were not ready")),
                argumentSet("unknown", "Unknown", Status.unresolvable("node(s) were not ready")),
                argumentSet("never reported", null, Status.unresolvable("node(s) were not ready")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filter(String ready, Status expected) {
        assertEquals(expected, new NodeReady().filter(new CycleState(), pod("p").build(), new NodeInfo(node("n").ready(ready).build())));
    }
}
