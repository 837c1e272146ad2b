package io.quarkube.controllers.disruption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpecBuilder;
import io.quarkube.controllers.disruption.BudgetStatus.Expectation;

/** The disruption controller's arithmetic, case by case. */
class BudgetStatusTest {

    private static final Instant NOW = Instant.parse("2026-11-26T05:00:00Z");

    private static Pod pod(String name, String app, boolean ready, boolean deleting) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").addToLabels("app", app).endMetadata()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
                .endCondition().endStatus();
        if (deleting) {
            pod.editMetadata().withDeletionTimestamp("2026-11-26T04:59:00Z").endMetadata();
        }
        return pod.build();
    }

    private static PodDisruptionBudgetSpec minAvailable(IntOrString value) {
        return new PodDisruptionBudgetSpecBuilder().withMinAvailable(value).build();
    }

    private static PodDisruptionBudgetSpec maxUnavailable(IntOrString value) {
        return new PodDisruptionBudgetSpecBuilder().withMaxUnavailable(value).build();
    }

    static Stream<Arguments> expectations() {
        return Stream.of(
                argumentSet("minAvailable 2 of 3 pods", minAvailable(new IntOrString(2)), 3, 0, new Expectation(3, 2)),
                argumentSet("minAvailable 50% of scale 3 rounds up", minAvailable(new IntOrString("50%")), 3, 3, new Expectation(3, 2)),
                argumentSet("minAvailable 100% of scale 4", minAvailable(new IntOrString("100%")), 2, 4, new Expectation(4, 4)),
                argumentSet("maxUnavailable 1 of scale 3", maxUnavailable(new IntOrString(1)), 3, 3, new Expectation(3, 2)),
                argumentSet("maxUnavailable 25% of scale 5 rounds up", maxUnavailable(new IntOrString("25%")), 5, 5, new Expectation(5, 3)),
                argumentSet("maxUnavailable above scale", maxUnavailable(new IntOrString(7)), 2, 2, new Expectation(2, 0)),
                argumentSet("neither", new PodDisruptionBudgetSpec(), 3, 0, new Expectation(0, 0)));
    }

    @ParameterizedTest
    @MethodSource("expectations")
    void desiredHealthyFollowsTheSpec(PodDisruptionBudgetSpec spec, int matching, int scale, Expectation expected) {
        assertEquals(expected, BudgetStatus.expectation(spec, matching, scale));
    }

    static Stream<Arguments> scaleNeeds() {
        return Stream.of(
                argumentSet("integer minAvailable counts pods", minAvailable(new IntOrString(2)), false),
                argumentSet("percent minAvailable needs the scale", minAvailable(new IntOrString("50%")), true),
                argumentSet("maxUnavailable needs the scale", maxUnavailable(new IntOrString(1)), true));
    }

    @ParameterizedTest
    @MethodSource("scaleNeeds")
    void onlyRelativeBudgetsNeedTheWorkloadsScale(PodDisruptionBudgetSpec spec, boolean needsScale) {
        assertEquals(needsScale, BudgetStatus.needsScale(spec));
    }

    static Stream<Arguments> allowed() {
        return Stream.of(
                argumentSet("one above desired", 3, 2, 3, 1),
                argumentSet("at desired", 2, 2, 3, 0),
                argumentSet("below desired", 1, 2, 3, 0),
                argumentSet("no pods expected yet", 2, 0, 0, 0));
    }

    @ParameterizedTest
    @MethodSource("allowed")
    void disruptionsAllowedAreTheHealthyPodsAboveDesired(int healthy, int desired, int expected, int allowed) {
        assertEquals(allowed, BudgetStatus.disruptionsAllowed(healthy, desired, expected));
    }

    @Test
    void healthyPodsAreReadyNotDeletingAndNotRecentlyEvicted() {
        List<Pod> pods = List.of(pod("a", "web", true, false), pod("b", "web", true, false), pod("c", "web", false, false),
                pod("d", "web", true, true), pod("e", "web", true, false));
        Map<String, String> disrupted = Map.of("b", "2026-11-26T04:59:30Z", "e", "2026-11-26T04:57:00Z");
        assertEquals(2, BudgetStatus.currentHealthy(pods, disrupted, NOW), "a, and e whose eviction is over two minutes old");
    }

    @Test
    void recordedEvictionsGoOnceThePodIsGoneOrDeletingOrAfterTwoMinutes() {
        List<Pod> pods = List.of(pod("recent", "web", true, false), pod("older", "web", true, false),
                pod("stale", "web", true, false), pod("deleting", "web", true, true));
        Map<String, String> recorded = Map.of("recent", "2026-11-26T04:59:30Z", "older", "2026-11-26T04:59:00Z",
                "stale", "2026-11-26T04:57:59Z", "deleting", "2026-11-26T04:59:50Z", "gone", "2026-11-26T04:59:50Z");
        BudgetStatus.Disrupted kept = BudgetStatus.disrupted(recorded, pods, NOW);
        assertEquals(Map.of("recent", "2026-11-26T04:59:30Z", "older", "2026-11-26T04:59:00Z"), kept.pods());
        assertEquals(Instant.parse("2026-11-26T05:01:00Z"), kept.recheckAt(), "when the older one expires");
        assertNull(BudgetStatus.disrupted(Map.of(), pods, NOW).recheckAt());
    }

    static Stream<Arguments> selectors() {
        return Stream.of(
                argumentSet("matching labels", new PodDisruptionBudgetBuilder().withNewSpec().withNewSelector()
                        .addToMatchLabels("app", "web").endSelector().endSpec().build(), List.of("w1", "w2")),
                argumentSet("empty selector selects every pod (policy/v1)", new PodDisruptionBudgetBuilder().withNewSpec()
                        .withNewSelector().endSelector().endSpec().build(), List.of("w1", "w2", "d1")),
                argumentSet("no selector selects none", new PodDisruptionBudgetBuilder().withNewSpec().endSpec().build(), List.of()));
    }

    @ParameterizedTest
    @MethodSource("selectors")
    void selectsPodsByTheBudgetsSelector(PodDisruptionBudget budget, List<String> selected) {
        List<Pod> pods = List.of(pod("w1", "web", true, false), pod("w2", "web", false, false), pod("d1", "db", true, false));
        assertEquals(selected, BudgetStatus.selectedPods(budget, pods).stream().map(p -> p.getMetadata().getName()).toList());
    }
}
