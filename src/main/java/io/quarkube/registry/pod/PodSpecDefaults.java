package io.quarkube.registry.pod;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.registry.FieldError;
import io.quarkube.registry.Validation;

/** Defaulting and validation of a PodSpec, shared by pods and every pod template (k8s.io/api/core/v1 defaults). */
public final class PodSpecDefaults {

    private PodSpecDefaults() {
    }

    public static void apply(ObjectNode spec) {
        putIfAbsent(spec, "restartPolicy", "Always");
        putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
        putIfAbsent(spec, "schedulerName", "default-scheduler");
        if (!spec.has("terminationGracePeriodSeconds")) {
            spec.put("terminationGracePeriodSeconds", 30);
        }
        if (!spec.has("securityContext")) {
            spec.putObject("securityContext");
        }
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            for (JsonNode container : spec.path(list)) {
                if (container instanceof ObjectNode c) {
                    defaultContainer(c);
                }
            }
        }
        for (JsonNode volume : spec.path("volumes")) {
            if (volume instanceof ObjectNode v && !hasSource(v)) {
                v.putObject("emptyDir");
            }
            defaultVolumeModes(volume);
        }
    }

    private static boolean hasSource(ObjectNode volume) {
        for (String field : (Iterable<String>) volume::fieldNames) {
            if (!field.equals("name")) {
                return true;
            }
        }
        return false;
    }

    private static void defaultVolumeModes(JsonNode volume) {
        for (String source : List.of("configMap", "secret", "downwardAPI", "projected")) {
            if (volume.path(source) instanceof ObjectNode s && !s.has("defaultMode")) {
                s.put("defaultMode", 420);
            }
        }
    }

    private static void defaultContainer(ObjectNode container) {
        putIfAbsent(container, "terminationMessagePath", "/dev/termination-log");
        putIfAbsent(container, "terminationMessagePolicy", "File");
        if (!container.has("imagePullPolicy")) {
            container.put("imagePullPolicy", pullsAlways(container.path("image").asText()) ? "Always" : "IfNotPresent");
        }
        if (!container.has("resources")) {
            container.putObject("resources");
        }
        for (JsonNode port : container.path("ports")) {
            if (port instanceof ObjectNode p) {
                putIfAbsent(p, "protocol", "TCP");
            }
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            if (container.path(probe) instanceof ObjectNode p) {
                defaultProbe(p);
            }
        }
    }

    private static void defaultProbe(ObjectNode probe) {
        if (!probe.has("timeoutSeconds")) {
            probe.put("timeoutSeconds", 1);
        }
        if (!probe.has("periodSeconds")) {
            probe.put("periodSeconds", 10);
        }
        if (!probe.has("successThreshold")) {
            probe.put("successThreshold", 1);
        }
        if (!probe.has("failureThreshold")) {
            probe.put("failureThreshold", 3);
        }
        if (probe.path("httpGet") instanceof ObjectNode http) {
            putIfAbsent(http, "path", "/");
            putIfAbsent(http, "scheme", "HTTP");
        }
    }

    /**
     * An image tagged latest, or with neither tag nor digest, is pulled every time; a digest alone
     * pins it, but the tag decides when both are given ("nginx:latest@sha256:..." is still latest).
     */
    static boolean pullsAlways(String image) {
        int at = image.indexOf('@');
        String name = at >= 0 ? image.substring(0, at) : image;
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        if (colon <= slash) {
            return at < 0;
        }
        return name.substring(colon + 1).equals("latest");
    }

    public static List<FieldError> validate(String path, JsonNode spec) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode containers = spec.path("containers");
        if (!containers.isArray() || containers.isEmpty()) {
            errors.add(FieldError.required(path + ".containers"));
        }
        Set<String> names = new HashSet<>();
        for (String list : List.of("initContainers", "containers")) {
            ArrayNode items = spec.path(list) instanceof ArrayNode a ? a : null;
            if (items == null) {
                continue;
            }
            for (int i = 0; i < items.size(); i++) {
                String at = path + "." + list + "[" + i + "]";
                JsonNode container = items.get(i);
                String name = container.path("name").asText("");
                if (name.isEmpty()) {
                    errors.add(FieldError.required(at + ".name"));
                } else {
                    errors.addAll(Validation.dnsLabel(at + ".name", name));
                    if (!names.add(name)) {
                        errors.add(FieldError.duplicate(at + ".name", name));
                    }
                }
                if (container.path("image").asText("").isBlank()) {
                    errors.add(FieldError.required(at + ".image"));
                }
            }
        }
        String restart = spec.path("restartPolicy").asText("Always");
        if (!List.of("Always", "OnFailure", "Never").contains(restart)) {
            errors.add(FieldError.notSupported(path + ".restartPolicy", restart, List.of("Always", "OnFailure", "Never")));
        }
        return errors;
    }

    static void putIfAbsent(ObjectNode node, String field, String value) {
        if (!node.hasNonNull(field)) {
            node.put(field, value);
        }
    }
}
