package io.quarkube.api.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.registry.StatusException;
import io.quarkube.testing.TestPods;

class PodContainersTest {

    private static final ObjectNode ONE = TestPods.pod("web").container("main", "busybox").build();
    private static final ObjectNode TWO = TestPods.pod("web").initContainer("setup", "busybox")
            .container("main", "busybox").container("sidecar", "busybox").build();

    static Stream<Arguments> choices() {
        return Stream.of(
                Arguments.argumentSet("the only container when none is named", ONE, null, "main"),
                Arguments.argumentSet("the named container", TWO, "sidecar", "sidecar"),
                Arguments.argumentSet("an init container by name", TWO, "setup", "setup"));
    }

    @ParameterizedTest
    @MethodSource("choices")
    void picksTheContainer(ObjectNode pod, String requested, String expected) {
        assertEquals(expected, PodContainers.resolve(pod, requested));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.argumentSet("several containers and none named", TWO, "",
                        "a container name must be specified for pod web, choose one of: [setup main sidecar]"),
                Arguments.argumentSet("a container the pod does not have", ONE, "other", "container other is not valid for pod web"));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusesWithKubeApiserversMessages(ObjectNode pod, String requested, String message) {
        StatusException refused = assertThrows(StatusException.class, () -> PodContainers.resolve(pod, requested));
        assertEquals(400, refused.code());
        assertEquals("BadRequest", refused.reason());
        assertEquals(message, refused.getMessage());
    }

    @Test
    void aPodWithoutContainersNeedsAName() {
        ObjectNode empty = TestPods.pod("bare").build();
        StatusException refused = assertThrows(StatusException.class, () -> PodContainers.resolve(empty, ""));
        assertEquals("a container name must be specified for pod bare", refused.getMessage());
    }
}
