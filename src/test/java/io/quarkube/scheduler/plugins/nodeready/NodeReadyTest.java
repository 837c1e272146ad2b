package io.quarkube.scheduler.plugins.nodeready;

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

class NodeReadyTest {

    private static final Status NOT_READY = Status.unresolvable("node(s) were not ready");

    static Stream<Arguments> cases() {
        Pod plain = pod("p").build();
        Pod toleratesNotReady = pod("p").toleration("node.kubernetes.io/not-ready", "Exists", null, "NoSchedule", null).build();
        Pod toleratesUnreachable = pod("p").toleration("node.kubernetes.io/unreachable", "Exists", null, null, null).build();
        Pod toleratesNotReadyOnExecute = pod("p").toleration("node.kubernetes.io/not-ready", "Exists", null, "NoExecute", 300L).build();
        return Stream.of(
                argumentSet("Ready", plain, "True", Status.success()),
                argumentSet("not ready", plain, "False", NOT_READY),
                argumentSet("unknown", plain, "Unknown", NOT_READY),
                argumentSet("never reported", plain, null, NOT_READY),
                argumentSet("not ready, pod tolerates not-ready:NoSchedule", toleratesNotReady, "False", Status.success()),
                argumentSet("unknown, a not-ready toleration does not help", toleratesNotReady, "Unknown", NOT_READY),
                argumentSet("unknown, pod tolerates unreachable", toleratesUnreachable, "Unknown", Status.success()),
                argumentSet("the default NoExecute toleration does not let pods onto a node not ready",
                        toleratesNotReadyOnExecute, "False", NOT_READY));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filter(Pod pod, String ready, Status expected) {
        assertEquals(expected, new NodeReady().filter(new CycleState(), pod, new NodeInfo(node("n").ready(ready).build())));
    }
}
