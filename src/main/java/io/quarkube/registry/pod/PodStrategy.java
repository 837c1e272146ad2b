package io.quarkube.registry.pod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.FieldError;
import io.quarkube.registry.Strategy;

/** Pods: defaults of the API and of the admission plugins kube-apiserver enables by default. */
public final class PodStrategy implements Strategy {

    private static final Map<String, Function<ObjectNode, String>> FIELDS = Map.of(
            "spec.nodeName", o -> Json.text(o, "spec", "nodeName"),
            "spec.restartPolicy", o -> Json.text(o, "spec", "restartPolicy"),
            "spec.schedulerName", o -> Json.text(o, "spec", "schedulerName"),
            "spec.serviceAccountName", o -> Json.text(o, "spec", "serviceAccountName"),
            "spec.hostNetwork", o -> Boolean.toString(o.path("spec").path("hostNetwork").asBoolean(false)),
            "status.phase", o -> Json.text(o, "status", "phase"),
            "status.podIP", o -> Json.text(o, "status", "podIP"),
            "status.nominatedNodeName", o -> Json.text(o, "status", "nominatedNodeName"));

    @Override
    public void prepareForCreate(ObjectNode pod) {
        ObjectNode spec = applyDefaults(pod);
        ObjectNode status = pod.putObject("status");
        status.put("phase", "Pending");
        status.put("qosClass", PodQos.of(spec));
    }

    /**
     * A replaced pod is defaulted like a new one (the API defaults every decoded object, and the
     * default-tolerations admission runs on updates too), so a manifest without the defaults
     * compares equal to the stored pod.
     */
    @Override
    public void prepareForUpdate(ObjectNode pod, ObjectNode old) {
        applyDefaults(pod);
    }

    private static ObjectNode applyDefaults(ObjectNode pod) {
        ObjectNode spec = Json.with(pod, "spec");
        PodSpecDefaults.apply(spec);
        PodSpecDefaults.putIfAbsent(spec, "serviceAccountName", "default");
        spec.put("serviceAccount", spec.get("serviceAccountName").asText());
        if (!spec.has("enableServiceLinks")) {
            spec.put("enableServiceLinks", true);
        }
        PodSpecDefaults.putIfAbsent(spec, "preemptionPolicy", "PreemptLowerPriority");
        if (!spec.has("priority")) {
            spec.put("priority", 0);
        }
        addDefaultTolerations(spec);
        defaultRequestsToLimits(spec);
        return spec;
    }

    /** The DefaultTolerationSeconds admission plugin: tolerate a lost node for five minutes. */
    private static void addDefaultTolerations(ObjectNode spec) {
        ArrayNode tolerations = spec.has("tolerations") && spec.get("tolerations").isArray()
                ? (ArrayNode) spec.get("tolerations") : spec.putArray("tolerations");
        for (String key : List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")) {
            boolean present = false;
            for (JsonNode toleration : tolerations) {
                String tolerated = toleration.path("key").asText("");
                String effect = toleration.path("effect").asText("");
                if ((tolerated.equals(key) || (tolerated.isEmpty() && "Exists".equals(toleration.path("operator").asText())))
                        && (effect.isEmpty() || effect.equals("NoExecute"))) {
                    present = true;
                }
            }
            if (!present) {
                tolerations.addObject().put("key", key).put("operator", "Exists").put("effect", "NoExecute")
                        .put("tolerationSeconds", 300);
            }
        }
    }

    /** Kube's pod defaulting: a container that sets a limit but no request requests what it limits. */
    private static void defaultRequestsToLimits(ObjectNode spec) {
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode container : spec.path(list)) {
                if (container.path("resources").get("limits") instanceof ObjectNode limits && container instanceof ObjectNode c) {
                    ObjectNode requests = Json.with(c, "resources", "requests");
                    limits.fields().forEachRemaining(limit -> {
                        if (!requests.has(limit.getKey())) {
                            requests.set(limit.getKey(), limit.getValue().deepCopy());
                        }
                    });
                }
            }
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode pod) {
        return PodSpecDefaults.validate("spec", pod.path("spec"));
    }

    /** Only images, activeDeadlineSeconds, added tolerations and removed scheduling gates may change. */
    @Override
    public List<FieldError> validateUpdate(ObjectNode pod, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>(validate(pod));
        if (!mutableFieldsMasked(pod.path("spec")).equals(mutableFieldsMasked(old.path("spec")))
                || !keepsTolerations(pod.path("spec"), old.path("spec"))) {
            errors.add(FieldError.forbidden("spec", "pod updates may not change fields other than "
                    + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
                    + "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
                    + "(allow it to be set to 1 if it was previously negative)"));
        }
        return errors;
    }

    /** Tolerations may be added, never removed or changed. */
    private static boolean keepsTolerations(JsonNode spec, JsonNode oldSpec) {
        List<JsonNode> tolerations = new ArrayList<>();
        spec.path("tolerations").forEach(tolerations::add);
        for (JsonNode old : oldSpec.path("tolerations")) {
            if (!tolerations.remove(old)) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode mutableFieldsMasked(JsonNode spec) {
        ObjectNode copy = spec.isObject() ? ((ObjectNode) spec).deepCopy() : Json.object();
        copy.remove(List.of("activeDeadlineSeconds", "tolerations", "schedulingGates"));
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode container : copy.path(list)) {
                ((ObjectNode) container).remove("image");
            }
        }
        return copy;
    }

    @Override
    public Map<String, Function<ObjectNode, String>> selectableFields() {
        return FIELDS;
    }
}
