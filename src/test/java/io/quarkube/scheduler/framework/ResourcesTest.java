package io.quarkube.scheduler.framework;

import static io.quarkube.scheduler.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Pod;
import io.quarkube.scheduler.testing.TestNodes;

class ResourcesTest {

    private static final long MI = 1024L * 1024;

    static Stream<Arguments> requests() {
        return Stream.of(
                argumentSet("no requests", pod("p").build(), new Resources(0, 0, 0, 1)),
                argumentSet("containers are summed",
                        pod("p").requests("100m", "1Mi").container("b").requests("250m", "2Mi").build(), new Resources(350, 3 * MI, 0, 1)),
                argumentSet("an init container larger than the containers wins, per resource",
                        pod("p").requests("100m", "10Mi").initContainer("i", null).requests("1", "1Mi").build(),
                        new Resources(1000, 10 * MI, 0, 1)),
                argumentSet("init containers are not summed, the largest counts",
                        pod("p").initContainer("i1", null).requests("300m", null).initContainer("i2", null).requests("200m", null).build(),
                        new Resources(300, 0, 0, 1)),
                argumentSet("a restartable init container (sidecar) adds to the containers",
                        pod("p").requests("100m", null).initContainer("s", "Always").requests("50m", null).build(),
                        new Resources(150, 0, 0, 1)),
                argumentSet("an init container after a sidecar runs beside it",
                        pod("p").requests("100m", null).initContainer("s", "Always").requests("50m", null)
                                .initContainer("i", null).requests("500m", null).build(),
                        new Resources(550, 0, 0, 1)),
                argumentSet("overhead is added", pod("p").requests("100m", "1Mi").overhead("10m", "1Mi").build(),
                        new Resources(110, 2 * MI, 0, 1)),
                argumentSet("ephemeral storage", pod("p").request("ephemeral-storage", "1Gi").build(),
                        new Resources(0, 0, 1024 * MI, 1)));
    }

    @ParameterizedTest
    @MethodSource
    void requests(Pod pod, Resources expected) {
        assertEquals(expected, Resources.requests(pod));
    }

    @Test
    void scoringCountsAContainerWithoutRequestsAs100mAnd200Mi() {
        assertEquals(new Resources(100 + 500, 200 * MI + MI, 0, 1),
                Resources.nonZeroRequests(pod("p").container("b").requests("500m", "1Mi").build()));
    }

    @Test
    void allocatableOfANode() {
        assertEquals(new Resources(2000, 4096 * MI, 10 * 1024 * MI, 20),
                Resources.allocatable(TestNodes.node("n").allocatable("2", "4Gi", 20).ephemeralStorage("10Gi").build()));
    }
}
