package io.quarkube.registry.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.DeleteOptions;
import io.quarkube.registry.StatusException;
import io.quarkube.registry.pod.PodEviction.Decision;

/** kube-apiserver's eviction rules, case by case. */
class PodEvictionTest {

    private static final Instant NOW = Instant.parse("2026-11-26T05:00:00Z");

    private static ObjectNode pod(String phase, boolean ready) {
        return Json.parseObject("""
                {"metadata":{"name":"web-1","namespace":"shop","resourceVersion":"7","labels":{"app":"web"}},
                 "status":{"phase":"%s","conditions":[{"type":"Ready","status":"%s"}]}}""".formatted(phase, ready ? "True" : "False"));
    }

    private static ObjectNode deleting(ObjectNode pod) {
        Json.with(pod, "metadata").put("deletionTimestamp", "2026-11-26T04:59:00Z");
        return pod;
    }

    private static ObjectNode budget(String name, String selector, String status) {
        return Json.parseObject("""
                {"metadata":{"name":"%s","namespace":"shop","generation":1,"resourceVersion":"9"},
                 "spec":{"minAvailable":2%s},"status":%s}""".formatted(name, selector == null ? "" : ",\"selector\":" + selector, status));
    }

    private static ObjectNode budget(String status) {
        return budget("web-pdb", "{\"matchLabels\":{\"app\":\"web\"}}", status);
    }

    private static ObjectNode eviction(String body) {
        return Json.parseObject(body);
    }

    // ---- request ---------------------------------------------------------------------------------

    static Stream<Arguments> evictionBodies() {
        return Stream.of(
                argumentSet("policy/v1 without options", eviction("""
                        {"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"web-1","namespace":"shop"}}"""), false,
                        new DeleteOptions(false, null, null, null, null)),
                argumentSet("policy/v1beta1 with a grace period", eviction("""
                        {"apiVersion":"policy/v1beta1","kind":"Eviction","metadata":{"name":"web-1"},"deleteOptions":{"gracePeriodSeconds":0}}"""),
                        false, new DeleteOptions(false, 0L, null, null, null)),
                argumentSet("dry run of the request carries over", eviction("""
                        {"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"web-1"},"deleteOptions":{}}"""), true,
                        new DeleteOptions(true, null, null, null, null)),
                argumentSet("dry run in the body", eviction("""
                        {"kind":"Eviction","metadata":{"name":"web-1"},"deleteOptions":{"dryRun":["All"],"preconditions":{"resourceVersion":"7"}}}"""),
                        false, new DeleteOptions(true, null, null, null, "7")));
    }

    @ParameterizedTest
    @MethodSource("evictionBodies")
    void readsTheDeleteOptions(ObjectNode eviction, boolean requestDryRun, DeleteOptions expected) {
        assertEquals(expected, PodEviction.deleteOptions(eviction, "shop", "web-1", requestDryRun));
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                argumentSet("another pod's name", eviction("""
                        {"kind":"Eviction","metadata":{"name":"web-2"}}"""), false, "name in URL does not match name in Eviction object"),
                argumentSet("another namespace", eviction("""
                        {"kind":"Eviction","metadata":{"name":"web-1","namespace":"other"}}"""), false,
                        "the namespace of the provided object does not match the namespace sent on the request"),
                argumentSet("not an Eviction", eviction("""
                        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1"}}"""), false, "not a Eviction object: v1, Kind=Pod"));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void refusesBodiesThatAreNotThisPodsEviction(ObjectNode eviction, boolean requestDryRun, String message) {
        StatusException refused = assertThrows(StatusException.class,
                () -> PodEviction.deleteOptions(eviction, "shop", "web-1", requestDryRun));
        assertEquals(400, refused.code());
        assertEquals(message, refused.getMessage());
    }

    // ---- which pods skip budgets -----------------------------------------------------------------

    static Stream<Arguments> podsAndBudgets() {
        return Stream.of(
                argumentSet("pending pod", pod("Pending", false), true),
                argumentSet("succeeded pod", pod("Succeeded", false), true),
                argumentSet("failed pod", pod("Failed", false), true),
                argumentSet("running pod", pod("Running", true), false),
                argumentSet("running pod that is not ready", pod("Running", false), false),
                argumentSet("running pod being deleted", deleting(pod("Running", true)), true));
    }

    @ParameterizedTest
    @MethodSource("podsAndBudgets")
    void onlyRunningPodsAskTheirBudget(ObjectNode pod, boolean ignoresBudgets) {
        assertEquals(ignoresBudgets, PodEviction.canIgnoreBudgets(pod));
    }

    // ---- matching budgets ------------------------------------------------------------------------

    static Stream<Arguments> selectors() {
        return Stream.of(
                argumentSet("matching labels", "{\"matchLabels\":{\"app\":\"web\"}}", 1),
                argumentSet("matching expression", "{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"In\",\"values\":[\"web\",\"api\"]}]}", 1),
                argumentSet("other labels", "{\"matchLabels\":{\"app\":\"db\"}}", 0),
                argumentSet("no selector guards nothing", null, 0),
                argumentSet("empty selector guards nothing here, as in kube-apiserver", "{}", 0));
    }

    @ParameterizedTest
    @MethodSource("selectors")
    void budgetsSelectPodsByLabels(String selector, int matching) {
        assertEquals(matching, PodEviction.budgetsOf(pod("Running", true), List.of(budget("b", selector, "{}"))).size());
    }

    // ---- decisions -------------------------------------------------------------------------------

    static Stream<Arguments> decisions() {
        String healthy = "{\"currentHealthy\":3,\"desiredHealthy\":2,\"disruptionsAllowed\":1,\"observedGeneration\":1}";
        String short_ = "{\"currentHealthy\":2,\"desiredHealthy\":2,\"disruptionsAllowed\":0,\"observedGeneration\":1}";
        String unmet = "{\"currentHealthy\":1,\"desiredHealthy\":2,\"disruptionsAllowed\":0,\"observedGeneration\":1}";
        ObjectNode alwaysAllow = budget(unmet);
        Json.with(alwaysAllow, "spec").put("unhealthyPodEvictionPolicy", "AlwaysAllow");
        return Stream.of(
                argumentSet("no budget: delete", pod("Running", true), List.of(), Decision.Delete.class),
                argumentSet("ready pod: take a disruption", pod("Running", true), List.of(budget(healthy)), Decision.TakeDisruption.class),
                argumentSet("unready pod, budget met: delete as read", pod("Running", false), List.of(budget(short_)), Decision.DeleteUnhealthy.class),
                argumentSet("unready pod, budget not met: take a disruption", pod("Running", false), List.of(budget(unmet)), Decision.TakeDisruption.class),
                argumentSet("unready pod, AlwaysAllow: delete as read", pod("Running", false), List.of(alwaysAllow), Decision.DeleteUnhealthy.class));
    }

    @ParameterizedTest
    @MethodSource("decisions")
    void decidesWhatTheEvictionDoes(ObjectNode pod, List<ObjectNode> budgets, Class<? extends Decision> expected) {
        assertEquals(expected, PodEviction.decide(pod, budgets).getClass());
    }

    @Test
    void refusesPodsWithTwoBudgetsAsKubeDoes() {
        StatusException refused = assertThrows(StatusException.class,
                () -> PodEviction.decide(pod("Running", true), List.of(budget("{}"), budget("{}"))));
        assertEquals(500, refused.code());
        assertEquals("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.", refused.getMessage());
    }

    // ---- taking a disruption ---------------------------------------------------------------------

    @Test
    void takingADisruptionDecrementsTheBudgetAndRecordsThePod() {
        ObjectNode budget = budget("{\"currentHealthy\":3,\"desiredHealthy\":2,\"disruptionsAllowed\":1,\"observedGeneration\":1,"
                + "\"conditions\":[{\"type\":\"DisruptionAllowed\",\"status\":\"True\",\"reason\":\"SufficientPods\",\"lastTransitionTime\":\"2026-11-26T04:00:00Z\"}]}");
        ObjectNode taken = PodEviction.takeDisruption(budget, "web-1", NOW);
        assertEquals(0, taken.at("/status/disruptionsAllowed").asInt());
        assertEquals("2026-11-26T05:00:00Z", taken.at("/status/disruptedPods/web-1").asText());
        assertEquals("9", taken.at("/metadata/resourceVersion").asText(), "the budget's version is the write's precondition");
        assertEquals("False", taken.at("/status/conditions/0/status").asText());
        assertEquals("InsufficientPods", taken.at("/status/conditions/0/reason").asText());
        assertEquals("2026-11-26T05:00:00Z", taken.at("/status/conditions/0/lastTransitionTime").asText());
        assertEquals(1, budget.at("/status/disruptionsAllowed").asInt(), "the budget read is left as it was");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                argumentSet("no disruption allowed",
                        "{\"currentHealthy\":2,\"desiredHealthy\":2,\"disruptionsAllowed\":0,\"observedGeneration\":1}",
                        429, "The disruption budget web-pdb needs 2 healthy pods and has 2 currently", null),
                argumentSet("not observed since its last change",
                        "{\"currentHealthy\":3,\"desiredHealthy\":2,\"disruptionsAllowed\":1,\"observedGeneration\":0}",
                        429, "The disruption budget web-pdb is still being processed by the server.", 10),
                argumentSet("never observed", "{}",
                        429, "The disruption budget web-pdb is still being processed by the server.", 10));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusesWhatTheBudgetDoesNotAllow(String status, int code, String cause, Integer retryAfter) {
        StatusException refused = assertThrows(StatusException.class, () -> PodEviction.takeDisruption(budget(status), "web-1", NOW));
        assertEquals(code, refused.code());
        assertEquals("TooManyRequests", refused.reason());
        assertEquals("Cannot evict pod as it would violate the pod's disruption budget.", refused.getMessage());
        assertEquals("DisruptionBudget", refused.causes().get(0).reason());
        assertEquals(cause, refused.causes().get(0).message());
        assertEquals(retryAfter, refused.retryAfterSeconds());
    }

    @Test
    void refusesANegativeBudgetAsForbidden() {
        StatusException refused = assertThrows(StatusException.class, () -> PodEviction.takeDisruption(
                budget("{\"disruptionsAllowed\":-1,\"observedGeneration\":1}"), "web-1", NOW));
        assertEquals(403, refused.code());
        assertEquals("poddisruptionbudget.policy \"web-pdb\" is forbidden: pdb disruptions allowed is negative", refused.getMessage());
    }
}
