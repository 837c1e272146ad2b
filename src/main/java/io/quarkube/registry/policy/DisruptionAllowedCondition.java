package io.quarkube.registry.policy;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Timestamps;

/**
 * The {@code DisruptionAllowed} condition of a PodDisruptionBudget's status, as Kubernetes'
 * poddisruptionbudget helpers keep it: True with reason SufficientPods while disruptions are
 * allowed, else False with reason InsufficientPods. The eviction subresource and the disruption
 * controller both set it.
 */
public final class DisruptionAllowedCondition {

    public static final String TYPE = "DisruptionAllowed";
    public static final String SUFFICIENT_PODS = "SufficientPods";
    public static final String INSUFFICIENT_PODS = "InsufficientPods";

    private DisruptionAllowedCondition() {
    }

    /**
     * Sets the condition from status.disruptionsAllowed and status.observedGeneration, as
     * apimachinery's SetStatusCondition does: the transition time changes only with the status.
     */
    public static void set(ObjectNode status, Instant now) {
        boolean allowed = status.path("disruptionsAllowed").asInt(0) > 0;
        String conditionStatus = allowed ? "True" : "False";
        ArrayNode conditions = status.get("conditions") instanceof ArrayNode existing ? existing : status.putArray("conditions");
        ObjectNode condition = null;
        for (JsonNode candidate : conditions) {
            if (TYPE.equals(candidate.path("type").asText()) && candidate instanceof ObjectNode object) {
                condition = object;
            }
        }
        if (condition == null) {
            condition = conditions.addObject().put("type", TYPE);
        }
        if (!conditionStatus.equals(condition.path("status").asText()) || !condition.hasNonNull("lastTransitionTime")) {
            condition.put("lastTransitionTime", Timestamps.of(now));
        }
        condition.put("status", conditionStatus)
                .put("reason", allowed ? SUFFICIENT_PODS : INSUFFICIENT_PODS)
                .put("message", "")
                .put("observedGeneration", status.path("observedGeneration").asLong(0));
    }

    /** Whether the condition already says what {@link #set} would write (kube's ConditionsAreUpToDate). */
    public static boolean isCurrent(JsonNode budget) {
        JsonNode status = budget.path("status");
        if (status.path("observedGeneration").asLong(0) != budget.path("metadata").path("generation").asLong(0)) {
            return false;
        }
        for (JsonNode condition : status.path("conditions")) {
            if (TYPE.equals(condition.path("type").asText())) {
                boolean allowed = status.path("disruptionsAllowed").asInt(0) > 0;
                return condition.path("status").asText().equals(allowed ? "True" : "False")
                        && condition.path("reason").asText().equals(allowed ? SUFFICIENT_PODS : INSUFFICIENT_PODS);
            }
        }
        return false;
    }
}
