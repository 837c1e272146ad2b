package io.quarkube.api.openapi;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Walks {@code $ref}s: which schemas a document needs, and re-pointing refs for Swagger 2.0. */
final class SchemaRefs {

    static final String V2_REF_PREFIX = "#/definitions/";

    private SchemaRefs() {
    }

    /** The schemas {@code roots} refer to, directly or through other schemas, sorted by name like kube. */
    static ObjectNode closure(JsonNode roots, Map<String, ObjectNode> schemas) {
        Set<String> needed = new LinkedHashSet<>();
        Deque<String> toVisit = new ArrayDeque<>(referencedNames(roots));
        while (!toVisit.isEmpty()) {
            String name = toVisit.poll();
            if (needed.add(name)) {
                ObjectNode schema = schemas.get(name);
                if (schema == null) {
                    throw new IllegalStateException("no schema " + name);
                }
                toVisit.addAll(referencedNames(schema));
            }
        }
        Map<String, ObjectNode> sorted = new TreeMap<>();
        needed.forEach(name -> sorted.put(name, schemas.get(name)));
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        sorted.forEach(result::set);
        return result;
    }

    /** A copy of {@code node} whose v3 refs point into Swagger 2.0 {@code definitions}. */
    static JsonNode toV2(JsonNode node) {
        JsonNode copy = node.deepCopy();
        rewrite(copy);
        return copy;
    }

    private static void rewrite(JsonNode node) {
        if (node instanceof ObjectNode object && object.path("$ref").isTextual()) {
            String ref = object.get("$ref").asText();
            object.put("$ref", V2_REF_PREFIX + ref.substring(ModelSchemas.V3_REF_PREFIX.length()));
        }
        node.forEach(SchemaRefs::rewrite);
    }

    private static Set<String> referencedNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        collect(node, names);
        return names;
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals("$ref") && field.getValue().isTextual()) {
                    names.add(field.getValue().asText().substring(ModelSchemas.V3_REF_PREFIX.length()));
                } else {
                    collect(field.getValue(), names);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, names));
        }
    }
}
