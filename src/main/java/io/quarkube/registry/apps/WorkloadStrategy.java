package io.quarkube.registry.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.FieldError;
import io.quarkube.registry.LabelSelector;
import io.quarkube.registry.Strategy;
import io.quarkube.registry.pod.PodSpecDefaults;

/**
 * Deployments, ReplicaSets, StatefulSets and DaemonSets: a selector that must match the pod
 * template's labels and may not change, a defaulted pod template, and status kept by controllers.
 */
public final class WorkloadStrategy implements Strategy {

    private final Consumer<ObjectNode> specDefaults;
    private final boolean scalable;

    private WorkloadStrategy(Consumer<ObjectNode> specDefaults, boolean scalable) {
        this.specDefaults = specDefaults;
        this.scalable = scalable;
    }

    public static WorkloadStrategy deployment() {
        return new WorkloadStrategy(spec -> {
            ObjectNode strategy = Json.with(spec, "strategy");
            if (!strategy.has("type")) {
                strategy.put("type", "RollingUpdate");
            }
            if ("RollingUpdate".equals(strategy.get("type").asText())) {
                ObjectNode rolling = Json.with(strategy, "rollingUpdate");
                if (!rolling.has("maxSurge")) {
                    rolling.put("maxSurge", "25%");
                }
                if (!rolling.has("maxUnavailable")) {
                    rolling.put("maxUnavailable", "25%");
                }
            }
            defaultInt(spec, "revisionHistoryLimit", 10);
            defaultInt(spec, "progressDeadlineSeconds", 600);
        }, true);
    }

    public static WorkloadStrategy replicaSet() {
        return new WorkloadStrategy(spec -> { }, true);
    }

    public static WorkloadStrategy statefulSet() {
        return new WorkloadStrategy(spec -> {
            if (!spec.has("podManagementPolicy")) {
                spec.put("podManagementPolicy", "OrderedReady");
            }
            ObjectNode update = Json.with(spec, "updateStrategy");
            if (!update.has("type")) {
                update.put("type", "RollingUpdate");
            }
            if ("RollingUpdate".equals(update.get("type").asText())) {
                defaultInt(Json.with(update, "rollingUpdate"), "partition", 0);
            }
            defaultInt(spec, "revisionHistoryLimit", 10);
            ObjectNode retention = Json.with(spec, "persistentVolumeClaimRetentionPolicy");
            if (!retention.has("whenDeleted")) {
                retention.put("whenDeleted", "Retain");
            }
            if (!retention.has("whenScaled")) {
                retention.put("whenScaled", "Retain");
            }
        }, true);
    }

    public static WorkloadStrategy daemonSet() {
        return new WorkloadStrategy(spec -> {
            ObjectNode update = Json.with(spec, "updateStrategy");
            if (!update.has("type")) {
                update.put("type", "RollingUpdate");
            }
            if ("RollingUpdate".equals(update.get("type").asText())) {
                ObjectNode rolling = Json.with(update, "rollingUpdate");
                if (!rolling.has("maxUnavailable")) {
                    rolling.put("maxUnavailable", 1);
                }
                if (!rolling.has("maxSurge")) {
                    rolling.put("maxSurge", 0);
                }
            }
            defaultInt(spec, "revisionHistoryLimit", 10);
        }, false);
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        ObjectNode spec = Json.with(object, "spec");
        if (scalable) {
            defaultInt(spec, "replicas", 1);
        }
        specDefaults.accept(spec);
        PodSpecDefaults.apply(Json.with(spec, "template", "spec"));
        object.remove("status");
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        prepareForCreate(object);
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public List<FieldError> validate(ObjectNode object) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = object.path("spec");
        JsonNode selector = spec.path("selector");
        if (selector.isMissingNode() || selector.isNull() || selector.isEmpty()) {
            errors.add(FieldError.required("spec.selector"));
        } else if (!matches(selector, spec.path("template").path("metadata").path("labels"))) {
            errors.add(FieldError.invalid("spec.template.metadata.labels", labelsText(spec.path("template").path("metadata").path("labels")),
                    "`selector` does not match template `labels`"));
        }
        if (scalable && spec.path("replicas").asInt(0) < 0) {
            errors.add(FieldError.invalid("spec.replicas", spec.path("replicas").asInt(), "must be greater than or equal to 0"));
        }
        errors.addAll(PodSpecDefaults.validate("spec.template.spec", spec.path("template").path("spec")));
        return errors;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode object, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>(validate(object));
        if (!object.path("spec").path("selector").equals(old.path("spec").path("selector"))) {
            errors.add(FieldError.invalid("spec.selector", labelsText(object.path("spec").path("selector").path("matchLabels")),
                    "field is immutable"));
        }
        return errors;
    }

    /** Whether a metav1.LabelSelector (matchLabels, matchExpressions) selects these labels; an empty one selects nothing. */
    static boolean matches(JsonNode selector, JsonNode labels) {
        String text = LabelSelector.textOf(selector);
        if (text.isEmpty()) {
            return false;
        }
        try {
            return LabelSelector.parse(text).matchesLabels(labels);
        } catch (IllegalArgumentException unknownOperator) {
            return false;
        }
    }

    private static String labelsText(JsonNode labels) {
        StringBuilder text = new StringBuilder("map[");
        labels.fields().forEachRemaining(e -> text.append(text.length() > 4 ? " " : "").append(e.getKey()).append(':').append(e.getValue().asText()));
        return text.append(']').toString();
    }

    static void defaultInt(ObjectNode node, String field, int value) {
        if (!node.hasNonNull(field)) {
            node.put(field, value);
        }
    }
}
