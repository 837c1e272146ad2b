package io.quarkube.registry.pod;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Quantity;

/**
 * A pod's quality-of-service class as kube computes it: only cpu and memory count, zero quantities
 * count as unset, and quantities compare by value ("1" equals "1000m").
 */
final class PodQos {

    private static final List<String> RESOURCES = List.of("cpu", "memory");

    private PodQos() {
    }

    /** BestEffort without requests or limits; Guaranteed when every container limits both and requests equal limits. */
    static String of(JsonNode spec) {
        Map<String, BigDecimal> requests = new HashMap<>();
        Map<String, BigDecimal> limits = new HashMap<>();
        boolean everyContainerLimited = true;
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode container : spec.path(list)) {
                add(requests, container.path("resources").path("requests"));
                if (!add(limits, container.path("resources").path("limits")).containsAll(RESOURCES)) {
                    everyContainerLimited = false;
                }
            }
        }
        if (requests.isEmpty() && limits.isEmpty()) {
            return "BestEffort";
        }
        boolean requestsMatchLimits = requests.keySet().equals(limits.keySet())
                && requests.entrySet().stream().allMatch(e -> e.getValue().compareTo(limits.get(e.getKey())) == 0);
        return everyContainerLimited && requestsMatchLimits ? "Guaranteed" : "Burstable";
    }

    /** Adds one container's positive cpu and memory quantities to the pod's sums; returns the resources it set. */
    private static Set<String> add(Map<String, BigDecimal> sums, JsonNode quantities) {
        Set<String> found = new HashSet<>();
        for (String resource : RESOURCES) {
            BigDecimal amount = amount(quantities.get(resource));
            if (amount.signum() > 0) {
                found.add(resource);
                sums.merge(resource, amount, BigDecimal::add);
            }
        }
        return found;
    }

    /** The value of a quantity; one that does not parse counts as unset (validation is not this class's job). */
    private static BigDecimal amount(JsonNode quantity) {
        if (quantity == null || quantity.isNull()) {
            return BigDecimal.ZERO;
        }
        try {
            return Quantity.getAmountInBytes(Quantity.parse(quantity.asText()));
        } catch (IllegalArgumentException | ArithmeticException e) {
            return BigDecimal.ZERO;
        }
    }
}
