package io.quarkube.controllers.disruption;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpec;
import io.quarkube.json.Json;
import io.quarkube.registry.LabelSelector;
import io.quarkube.registry.pod.PodEviction;

/**
 * The arithmetic of kube-controller-manager's disruption controller, as pure functions: which pods a
 * budget selects, how many must stay healthy, which recorded evictions still count, and so how many
 * disruptions the budget allows.
 */
final class BudgetStatus {

    /** How long an eviction recorded in status.disruptedPods keeps its pod from counting as healthy. */
    static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);

    private BudgetStatus() {
    }

    /**
     * The pods of the budget's namespace its selector matches: none without a selector, every pod
     * for an empty one (policy/v1); an invalid selector fails.
     */
    static List<Pod> selectedPods(PodDisruptionBudget budget, List<Pod> podsInNamespace) {
        if (budget.getSpec() == null || budget.getSpec().getSelector() == null) {
            return List.of();
        }
        LabelSelector selector = LabelSelector.parse(LabelSelector.textOf(Json.MAPPER.valueToTree(budget.getSpec().getSelector())));
        List<Pod> selected = new ArrayList<>();
        for (Pod pod : podsInNamespace) {
            if (selector.matches(pod.getMetadata().getLabels())) {
                selected.add(pod);
            }
        }
        return selected;
    }

    /** Whether the budget's desired count is relative to its workloads' scale (a percentage or maxUnavailable). */
    static boolean needsScale(PodDisruptionBudgetSpec spec) {
        return spec.getMaxUnavailable() != null || spec.getMinAvailable() != null && spec.getMinAvailable().getStrVal() != null;
    }

    /**
     * @param expectedPods   pods the budget expects: the matching pods' count for an integer minAvailable,
     *                       else the summed scale of their controllers
     * @param desiredHealthy how many of them must stay healthy
     */
    record Expectation(int expectedPods, int desiredHealthy) {
    }

    /** What the spec asks for, given the matching pods' count and (when {@link #needsScale}) the scale. */
    static Expectation expectation(PodDisruptionBudgetSpec spec, int matchingPods, int scale) {
        if (spec.getMaxUnavailable() != null) {
            int maxUnavailable = scaled(spec.getMaxUnavailable(), scale);
            return new Expectation(scale, Math.max(0, scale - maxUnavailable));
        }
        if (spec.getMinAvailable() != null) {
            if (spec.getMinAvailable().getStrVal() == null) {
                return new Expectation(matchingPods, Objects.requireNonNullElse(spec.getMinAvailable().getIntVal(), 0));
            }
            return new Expectation(scale, scaled(spec.getMinAvailable(), scale));
        }
        return new Expectation(0, 0);
    }

    /** An int as is, a percentage of total rounded up (intstr.GetScaledValueFromIntOrPercent with roundUp). */
    static int scaled(IntOrString value, int total) {
        if (value.getStrVal() == null) {
            return Objects.requireNonNullElse(value.getIntVal(), 0);
        }
        String text = value.getStrVal();
        if (!text.endsWith("%")) {
            throw new IllegalArgumentException("invalid value for IntOrString: invalid type: string is not a percentage");
        }
        int percent;
        try {
            percent = Integer.parseInt(text.substring(0, text.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value \"" + text + "\": " + e.getMessage());
        }
        return (int) Math.ceil(percent * (double) total / 100);
    }

    /**
     * @param pods       the recorded evictions that still count, by pod name
     * @param recheckAt  when the earliest of them expires, or null when none is left
     */
    record Disrupted(Map<String, String> pods, Instant recheckAt) {
    }

    /**
     * The evictions in status.disruptedPods that still count: their pod exists, is not being deleted
     * yet, and was evicted less than {@link #DELETION_TIMEOUT} ago.
     */
    static Disrupted disrupted(Map<String, String> recorded, List<Pod> pods, Instant now) {
        Map<String, String> kept = new TreeMap<>();
        Instant recheck = null;
        if (recorded == null || recorded.isEmpty()) {
            return new Disrupted(kept, null);
        }
        for (Pod pod : pods) {
            String evictedAt = recorded.get(pod.getMetadata().getName());
            if (evictedAt == null || pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            Instant expires = Instant.parse(evictedAt).plus(DELETION_TIMEOUT);
            if (expires.isAfter(now)) {
                kept.put(pod.getMetadata().getName(), evictedAt);
                recheck = recheck == null || expires.isBefore(recheck) ? expires : recheck;
            }
        }
        return new Disrupted(kept, recheck);
    }

    /** Ready pods that are neither being deleted nor recently evicted. */
    static int currentHealthy(List<Pod> pods, Map<String, String> disrupted, Instant now) {
        int healthy = 0;
        for (Pod pod : pods) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            String evictedAt = disrupted.get(pod.getMetadata().getName());
            if (evictedAt != null && Instant.parse(evictedAt).plus(DELETION_TIMEOUT).isAfter(now)) {
                continue;
            }
            if (PodEviction.isReady(Json.MAPPER.valueToTree(pod))) {
                healthy++;
            }
        }
        return healthy;
    }

    /**
     * Disruptions allowed: none while the budget expects no pods (its first pods may appear before
     * the next look), else the healthy pods above the desired count.
     */
    static int disruptionsAllowed(int currentHealthy, int desiredHealthy, int expectedPods) {
        int allowed = currentHealthy - desiredHealthy;
        return expectedPods <= 0 || allowed <= 0 ? 0 : allowed;
    }
}
