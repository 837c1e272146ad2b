package io.quarkube.scheduler.plugins.noderesources;

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

class BalancedAllocationTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                argumentSet("equal fractions score 100", pod("p").requests("1", "2Gi").build(), 100L),
                argumentSet("cpu half, memory a quarter", pod("p").requests("1", "1Gi").build(), 87L),
                argumentSet("cpu full, memory empty-ish", pod("p").requests("2", "1Mi").build(), 50L));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void score(Pod pod, long expected) {
        NodeInfo node = new NodeInfo(node("n").allocatable("2", "4Gi", 10).build());
        assertEquals(expected, new BalancedAllocation().score(new CycleState(), pod, node));
    }
}
