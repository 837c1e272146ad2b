package io.quarkube.scheduler.plugins.nodeports;

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
import io.quarkube.scheduler.framework.Snapshot;
import io.quarkube.scheduler.framework.Status;

class NodePortsTest {

    private static final Status TAKEN = Status.unschedulable("node(s) didn't have free ports for the requested pod ports");

    static Stream<Arguments> cases() {
        return Stream.of(
                argumentSet("no host ports", pod("p").build(), pod("e").hostPort(80, "TCP", null).build(), Status.success()),
                argumentSet("same port and protocol", pod("p").hostPort(80, "TCP", null).build(),
                        pod("e").hostPort(80, "TCP", null).build(), TAKEN),
                argumentSet("other protocol", pod("p").hostPort(80, "UDP", null).build(),
                        pod("e").hostPort(80, "TCP", null).build(), Status.success()),
                argumentSet("other port", pod("p").hostPort(81, "TCP", null).build(),
                        pod("e").hostPort(80, "TCP", null).build(), Status.success()),
                argumentSet("distinct addresses", pod("p").hostPort(80, "TCP", "10.0.0.1").build(),
                        pod("e").hostPort(80, "TCP", "10.0.0.2").build(), Status.success()),
                argumentSet("all addresses against one", pod("p").hostPort(80, "TCP", "0.0.0.0").build(),
                        pod("e").hostPort(80, "TCP", "10.0.0.2").build(), TAKEN));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filter(Pod pod, Pod existing, Status expected) {
        NodePorts plugin = new NodePorts();
        CycleState state = new CycleState();
        NodeInfo node = NodeInfo.of(node("n").build(), existing);
        plugin.preFilter(state, pod, Snapshot.of(node));
        assertEquals(expected, plugin.filter(state, pod, node));
    }
}
