package io.quarkube.api.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/** Pod disruption budgets, horizontal pod autoscalers, limit ranges and resource quotas. */
final class PolicyPrinters {

    /** An autoscaler's TARGETS column shows this many metrics. */
    private static final int MAX_METRICS = 2;
    private static final String UNKNOWN = Times.UNKNOWN;

    private PolicyPrinters() {
    }

    static void registerAll(PrinterRegistry registry) {
        registry.register("policy", "PodDisruptionBudget", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("Min Available", "The minimum number of pods that must be available."),
                Column.string("Max Unavailable", "The maximum number of pods that may be unavailable."),
                Column.integer("Allowed Disruptions", "Calculated number of pods that may be disrupted at this "
                        + "time."),
                Column.age()),
                PolicyPrinters::podDisruptionBudget));
        registry.register("autoscaling", "HorizontalPodAutoscaler", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("Reference", "reference to scaled resource; horizontal pod autoscaler will learn the "
                        + "current resource consumption and will set the desired number of pods by using its Scale "
                        + "subresource."),
                Column.string("Targets", "metrics contains the specifications for which to use to calculate the "
                        + "desired replica count."),
                Column.string("MinPods", "minReplicas is the lower limit for the number of replicas to which the "
                        + "autoscaler can scale down."),
                Column.string("MaxPods", "maxReplicas is the upper limit for the number of replicas to which the "
                        + "autoscaler can scale up."),
                Column.string("Replicas", "currentReplicas is current number of replicas of pods managed by this "
                        + "autoscaler."),
                Column.age()),
                PolicyPrinters::horizontalPodAutoscaler));
        registry.register("", "LimitRange", CreatedAtPrinter.INSTANCE);
        registry.register("", "ResourceQuota", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("Request", "Request represents a minimum amount of cpu/memory that a container may "
                        + "consume."),
                Column.string("Limit", "Limits control the maximum amount of cpu/memory that a container may use "
                        + "independent of contention on the node."),
                Column.age()),
                PolicyPrinters::resourceQuota));
    }

    private static List<Object> podDisruptionBudget(JsonNode budget, Instant now) {
        JsonNode spec = budget.path("spec");
        return List.of(
                Cells.name(budget),
                Cells.intOrString(spec.path("minAvailable"), "N/A"),
                Cells.intOrString(spec.path("maxUnavailable"), "N/A"),
                budget.at("/status/disruptionsAllowed").asLong(),
                Times.age(budget, now));
    }

    private static List<Object> horizontalPodAutoscaler(JsonNode autoscaler, Instant now) {
        JsonNode spec = autoscaler.path("spec");
        JsonNode target = spec.path("scaleTargetRef");
        return List.of(
                Cells.name(autoscaler),
                target.path("kind").asText() + "/" + target.path("name").asText(),
                metrics(spec.path("metrics"), autoscaler.at("/status/currentMetrics")),
                spec.path("minReplicas").isNumber() ? spec.path("minReplicas").asText() : Cells.UNSET,
                spec.path("maxReplicas").asLong(),
                autoscaler.at("/status/currentReplicas").asLong(),
                Times.age(autoscaler, now));
    }

    /** "cpu: 12%/80%, memory: <unknown>/1Gi + 1 more...": each metric's current value over its target. */
    static String metrics(JsonNode specs, JsonNode statuses) {
        if (specs.isEmpty()) {
            return Cells.NONE;
        }
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < specs.size() && shown.size() < MAX_METRICS; i++) {
            shown.add(metric(specs.get(i), statuses.path(i)));
        }
        String text = String.join(", ", shown);
        return specs.size() > MAX_METRICS ? text + " + " + (specs.size() - MAX_METRICS) + " more..." : text;
    }

    private static String metric(JsonNode spec, JsonNode status) {
        String field = switch (spec.path("type").asText()) {
            case "Resource" -> "resource";
            case "ContainerResource" -> "containerResource";
            case "Pods" -> "pods";
            case "Object" -> "object";
            case "External" -> "external";
            default -> null;
        };
        if (field == null) {
            return "<unknown type>";
        }
        JsonNode target = spec.path(field).path("target");
        JsonNode current = status.path(field).path("current");
        boolean perResource = field.equals("resource") || field.equals("containerResource");
        String prefix = perResource ? spec.path(field).path("name").asText() + ": " : "";
        if (field.equals("pods")) {
            return quantity(current.path("averageValue")) + "/" + quantity(target.path("averageValue"));
        }
        if (target.hasNonNull("averageValue")) {
            String suffix = perResource ? "" : " (avg)";
            return prefix + quantity(current.path("averageValue")) + "/" + target.path("averageValue").asText() + suffix;
        }
        if (perResource) {
            String currentPercent = current.hasNonNull("averageUtilization")
                    ? current.path("averageUtilization").asLong() + "%"
                    : UNKNOWN;
            String targetPercent = target.hasNonNull("averageUtilization")
                    ? target.path("averageUtilization").asLong() + "%"
                    : "<auto>";
            return prefix + currentPercent + "/" + targetPercent;
        }
        return quantity(current.path("value")) + "/" + quantity(target.path("value"));
    }

    private static String quantity(JsonNode value) {
        return value.isValueNode() && !value.isNull() ? value.asText() : UNKNOWN;
    }

    /** "cpu: 100m/1, pods: 2/10" in REQUEST; resources named "limits.*" go to LIMIT. */
    private static List<Object> resourceQuota(JsonNode quota, Instant now) {
        Map<String, String> hard = new TreeMap<>();
        quota.at("/status/hard").fields().forEachRemaining(e -> hard.put(e.getKey(), e.getValue().asText()));
        JsonNode used = quota.at("/status/used");
        List<String> requests = new ArrayList<>();
        List<String> limits = new ArrayList<>();
        hard.forEach((resource, hardQuantity) -> {
            String entry = resource + ": " + Cells.text(used.path(resource), "0") + "/" + hardQuantity;
            (resource.startsWith("limits.") ? limits : requests).add(entry);
        });
        return List.of(
                Cells.name(quota),
                String.join(", ", requests),
                String.join(", ", limits),
                Times.age(quota, now));
    }
}
