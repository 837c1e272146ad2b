package io.quarkube.controllers.deployment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.IntOrString;

class RolloutMathTest {

    static Stream<Arguments> fenceposts() {
        return Stream.of(
                Arguments.argumentSet("defaults 25% of 4", null, null, 4, new int[] {1, 1}),
                Arguments.argumentSet("defaults of 2: surge rounds up, unavailable down", null, null, 2, new int[] {1, 0}),
                Arguments.argumentSet("absolute values", new IntOrString(3), new IntOrString(2), 10, new int[] {3, 2}),
                Arguments.argumentSet("percentages of 10", new IntOrString("30%"), new IntOrString("15%"), 10, new int[] {3, 1}),
                Arguments.argumentSet("both zero: one may be unavailable", new IntOrString(0), new IntOrString(0), 3, new int[] {0, 1}));
    }

    @ParameterizedTest
    @MethodSource("fenceposts")
    void fencepostsResolveSurgeAndUnavailable(IntOrString surge, IntOrString unavailable, int replicas, int[] expected) {
        assertArrayEquals(expected, RolloutMath.fenceposts(surge, unavailable, replicas));
    }

    static Stream<Arguments> newSizes() {
        return Stream.of(
                Arguments.argumentSet("room for one surge pod", 2, 1, 0, 2, 1),
                Arguments.argumentSet("no room while old pods fill the surge", 2, 1, 1, 3, 1),
                Arguments.argumentSet("capped at replicas", 3, 5, 1, 3, 3),
                Arguments.argumentSet("already larger: back to replicas", 2, 1, 4, 4, 2));
    }

    @ParameterizedTest
    @MethodSource("newSizes")
    void theNewReplicaSetGrowsWithinTheSurge(int replicas, int surge, int newSize, int allPods, int expected) {
        assertEquals(expected, RolloutMath.newReplicaSetSize(replicas, surge, newSize, allPods));
    }

    static Stream<Arguments> budgets() {
        return Stream.of(
                Arguments.argumentSet("new pod not available yet: nothing may go", 2, 0, 3, 1, 0, 0),
                Arguments.argumentSet("new pod available: one old may go", 2, 0, 3, 1, 1, 1),
                Arguments.argumentSet("maxUnavailable lets one go at once", 4, 1, 4, 0, 0, 1));
    }

    @ParameterizedTest
    @MethodSource("budgets")
    void oldPodsGoOnlyAsFarAsAvailabilityAllows(int replicas, int maxUnavailable, int allPods, int newSize, int newAvailable,
            int expected) {
        assertEquals(expected, RolloutMath.oldScaleDownBudget(replicas, maxUnavailable, allPods, newSize, newAvailable));
    }
}
