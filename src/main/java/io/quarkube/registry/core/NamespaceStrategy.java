package io.quarkube.registry.core;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.FieldError;
import io.quarkube.registry.Strategy;
import io.quarkube.registry.Validation;

/** Namespaces: Active on creation, the "kubernetes" finalizer, and the metadata.name label kube adds. */
public final class NamespaceStrategy implements Strategy {

    public static final String NAME_LABEL = "kubernetes.io/metadata.name";

    @Override
    public void prepareForCreate(ObjectNode namespace) {
        ObjectNode spec = Json.with(namespace, "spec");
        ArrayNode finalizers = spec.get("finalizers") instanceof ArrayNode given ? given : spec.putArray("finalizers");
        // Finalizers the client asked for stay; the "kubernetes" one is always added.
        if (!contains(finalizers, "kubernetes")) {
            finalizers.add("kubernetes");
        }
        namespace.putObject("status").put("phase", "Active");
        labelWithName(namespace);
    }

    @Override
    public void prepareForUpdate(ObjectNode namespace, ObjectNode old) {
        namespace.set("spec", old.path("spec").deepCopy());
        labelWithName(namespace);
    }

    /** A namespace is removed only after its content is gone and the "kubernetes" finalizer with it. */
    @Override
    public boolean awaitsFinalization(ObjectNode namespace) {
        return !namespace.path("spec").path("finalizers").isEmpty();
    }

    @Override
    public void prepareForDeletion(ObjectNode namespace) {
        Json.with(namespace, "status").put("phase", "Terminating");
    }

    private static boolean contains(ArrayNode values, String value) {
        for (JsonNode element : values) {
            if (element.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static void labelWithName(ObjectNode namespace) {
        Json.with(namespace, "metadata", "labels").put(NAME_LABEL, namespace.path("metadata").path("name").asText());
    }

    @Override
    public List<FieldError> validateName(String name) {
        return Validation.dnsLabel("metadata.name", name);
    }

    @Override
    public Map<String, Function<ObjectNode, String>> selectableFields() {
        return Map.of("status.phase", o -> Json.text(o, "status", "phase"));
    }
}
