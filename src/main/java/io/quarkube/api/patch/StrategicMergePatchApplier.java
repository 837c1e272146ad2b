package io.quarkube.api.patch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.api.patch.PatchMetadata.FieldPatchStrategy;

/**
 * Kubernetes strategic merge patch on JSON trees, with the semantics of kube-apiserver: maps merge, a
 * null deletes a key, lists tagged {@code patchStrategy: merge} merge by their merge key (see
 * {@link StrategicListMerger}), every other value is replaced; {@code $patch}, {@code $retainKeys},
 * {@code $setElementOrder/} and {@code $deleteFromPrimitiveList/} directives are applied, never stored.
 */
final class StrategicMergePatchApplier {

    private static final String BAD_RETAIN_KEYS = "invalid patch format of retainKeys";
    private static final String BAD_PRIMITIVE_LIST = "invalid patch format of primitive list";

    private StrategicMergePatchApplier() {
    }

    static JsonNode apply(JsonNode original, JsonNode patch, Class<?> modelClass) {
        if (patch == null || !patch.isObject()) {
            throw PatchException.badRequest("json: cannot unmarshal " + JsonValues.describe(patch)
                    + " into Go value of type map[string]interface {}");
        }
        ObjectNode target = original != null && original.isObject() ? original.deepCopy() : emptyObject();
        return mergeMap(target, ((ObjectNode) patch).deepCopy(), ModelSchema.of(modelClass));
    }

    /** Merges {@code patch} into {@code original} (both are changed) and returns the merged map. */
    static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, JavaType type) {
        JsonNode directive = patch.get(Directives.PATCH);
        if (directive != null) {
            return applyMapDirective(directive, patch, type);
        }
        applyRetainKeys(original, patch);
        StrategicListMerger.mergeOrderedLists(original, patch, type);
        for (String name : fieldNames(patch)) {
            if (name.startsWith(Directives.SET_ELEMENT_ORDER)) {
                continue;
            }
            boolean deleteList = name.startsWith(Directives.DELETE_FROM_PRIMITIVE_LIST);
            String key = deleteList ? Directives.listField(name, Directives.DELETE_FROM_PRIMITIVE_LIST, BAD_PRIMITIVE_LIST) : name;
            mergeField(original, key, patch.get(name), type, deleteList);
        }
        return original;
    }

    private static void mergeField(ObjectNode original, String key, JsonNode patchValue, JavaType type, boolean deleteList) {
        if (patchValue.isNull()) {
            original.remove(key);
            return;
        }
        JavaType fieldType = ModelSchema.field(type, key);
        Optional<FieldPatchStrategy> strategy = ModelSchema.strategy(type, key);
        JsonNode current = original.get(key);
        if (current == null || current.getNodeType() != patchValue.getNodeType()) {
            // A deletion list for a list the object does not have deletes nothing.
            if (!deleteList) {
                original.set(key, fresh(patchValue, fieldType, strategy));
            }
        } else if (current.isObject()) {
            original.set(key, mergeMap((ObjectNode) current, (ObjectNode) patchValue, fieldType));
        } else if (current.isArray()) {
            original.set(key, StrategicListMerger.mergeListField((ArrayNode) current, (ArrayNode) patchValue, fieldType, strategy, deleteList));
        } else {
            original.set(key, patchValue);
        }
    }

    /** A patch value for a key the object does not have yet: merged into nothing, so its directives and nulls go away. */
    static JsonNode fresh(JsonNode patchValue, JavaType type, Optional<FieldPatchStrategy> strategy) {
        if (patchValue.isObject()) {
            return mergeMap(emptyObject(), (ObjectNode) patchValue, type);
        }
        if (patchValue.isArray()) {
            return StrategicListMerger.mergeListField(JsonNodeFactory.instance.arrayNode(), (ArrayNode) patchValue, type, strategy, false);
        }
        return patchValue;
    }

    private static ObjectNode applyMapDirective(JsonNode directive, ObjectNode patch, JavaType type) {
        if (directive.isTextual() && directive.textValue().equals(Directives.REPLACE)) {
            patch.remove(Directives.PATCH);
            return mergeMap(emptyObject(), patch, type);
        }
        if (directive.isTextual() && directive.textValue().equals(Directives.DELETE)) {
            return emptyObject();
        }
        throw new PatchException("unknown patch type: " + directive.asText() + " in map: " + patch);
    }

    /** Drops the keys of {@code original} that {@code $retainKeys} does not list; the patch may only set listed keys. */
    private static void applyRetainKeys(ObjectNode original, ObjectNode patch) {
        JsonNode retainKeys = patch.remove(Directives.RETAIN_KEYS);
        if (retainKeys == null) {
            return;
        }
        if (!retainKeys.isArray()) {
            throw PatchException.badRequest(BAD_RETAIN_KEYS);
        }
        Set<String> retained = new HashSet<>();
        retainKeys.forEach(key -> retained.add(key.asText()));
        for (String name : fieldNames(patch)) {
            boolean directive = name.startsWith(Directives.DELETE_FROM_PRIMITIVE_LIST)
                    || name.startsWith(Directives.SET_ELEMENT_ORDER) || name.equals(Directives.PATCH);
            if (!directive && !patch.get(name).isNull() && !retained.contains(name)) {
                throw PatchException.badRequest(BAD_RETAIN_KEYS);
            }
        }
        original.retain(retained);
    }

    static List<String> fieldNames(ObjectNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static ObjectNode emptyObject() {
        return JsonNodeFactory.instance.objectNode();
    }
}
