package io.quarkube.scheduler;

import static io.quarkube.scheduler.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Pod;

/** Which pods the scheduler takes, and the condition it writes on those it cannot place. */
class PodSchedulingTest {

    private static Pod withScheduler(String name) {
        Pod pod = pod("p").build();
        pod.getSpec().setSchedulerName(name);
        return pod;
    }

    private static Pod deleting() {
        Pod pod = pod("p").build();
        pod.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        return pod;
    }

    private static Pod finished() {
        Pod pod = pod("p").build();
        pod.getStatus().setPhase("Succeeded");
        return pod;
    }

    static Stream<Arguments> responsible() {
        return Stream.of(
                argumentSet("no scheduler name", pod("p").build(), true),
                argumentSet("default-scheduler", withScheduler("default-scheduler"), true),
                argumentSet("another scheduler", withScheduler("my-scheduler"), false),
                argumentSet("being deleted", deleting(), false),
                argumentSet("finished", finished(), false));
    }

    @ParameterizedTest
    @MethodSource
    void responsible(Pod pod, boolean expected) {
        assertEquals(expected, PodScheduling.responsible(pod));
    }

    @Test
    void theUnschedulableConditionReplacesAnyPodScheduledConditionAndKeepsItsTransitionTime() {
        Pod pod = PodScheduling.withUnschedulable(pod("p").build(), "0/1 nodes are available: 1 Insufficient cpu.");
        var condition = pod.getStatus().getConditions().get(0);
        assertEquals("PodScheduled", condition.getType());
        assertEquals("False", condition.getStatus());
        assertEquals("Unschedulable", condition.getReason());
        assertEquals("0/1 nodes are available: 1 Insufficient cpu.", condition.getMessage());
        condition.setLastTransitionTime("2026-01-01T00:00:00Z");

        Pod again = PodScheduling.withUnschedulable(pod, "0/2 nodes are available: 2 Insufficient cpu.");
        assertEquals(1, again.getStatus().getConditions().size());
        assertEquals("0/2 nodes are available: 2 Insufficient cpu.", again.getStatus().getConditions().get(0).getMessage());
        assertEquals("2026-01-01T00:00:00Z", again.getStatus().getConditions().get(0).getLastTransitionTime(),
                "still False: the transition time stays");
    }

    @Test
    void aPodBoundMeanwhileIsLeftAlone() {
        Pod bound = pod("p").onNode("n1").build();
        assertEquals(bound, PodScheduling.withUnschedulable(bound, "0/1 nodes are available: 1 Insufficient cpu."));
        assertTrue(bound.getStatus().getConditions().isEmpty());
    }
}
