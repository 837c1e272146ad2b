package io.quarkube.api.patch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.api.patch.PatchMetadata.FieldPatchStrategy;

/**
 * The list half of strategic merge patch: lists of maps merge item by item on their merge key, lists
 * of primitives become the union of both, {@code $patch} items delete or replace, and the result keeps
 * the order the patch (or its {@code $setElementOrder} list) asks for.
 */
final class StrategicListMerger {

    private static final String BAD_ORDER_LIST = "invalid patch format of setElementOrder list";

    private StrategicListMerger() {
    }

    /** Merges a list field: item by item when its strategy merges (or for a deletion list), otherwise the patch replaces it. */
    static ArrayNode mergeListField(ArrayNode original, ArrayNode patch, JavaType fieldType,
            Optional<FieldPatchStrategy> strategy, boolean deleteList) {
        JavaType elementType = ModelSchema.element(fieldType);
        if (deleteList || strategy.map(FieldPatchStrategy::merges).orElse(false)) {
            String mergeKey = strategy.map(FieldPatchStrategy::mergeKey).orElse(null);
            return toArray(mergeList(items(original), items(patch), elementType, mergeKey, deleteList));
        }
        List<JsonNode> replaced = new ArrayList<>();
        for (JsonNode item : patch) {
            replaced.add(item.isObject()
                    ? StrategicMergePatchApplier.mergeMap(StrategicMergePatchApplier.emptyObject(), (ObjectNode) item, elementType)
                    : item);
        }
        return toArray(replaced);
    }

    /**
     * Applies each {@code $setElementOrder/<field>} of {@code patch}: merges {@code <field>} (if the patch has it),
     * orders the result and removes {@code <field>} from the patch so the map merge does not see it again.
     */
    static void mergeOrderedLists(ObjectNode original, ObjectNode patch, JavaType type) {
        for (String name : StrategicMergePatchApplier.fieldNames(patch)) {
            if (!name.startsWith(Directives.SET_ELEMENT_ORDER)) {
                continue;
            }
            String key = Directives.listField(name, Directives.SET_ELEMENT_ORDER, BAD_ORDER_LIST);
            JsonNode order = patch.get(name);
            JsonNode originalList = presentList(original.get(key));
            JsonNode patchList = presentList(patch.get(key));
            if (!order.isArray() || (patchList != null && !patchList.isArray())) {
                throw PatchException.badRequest(BAD_ORDER_LIST);
            }
            if (originalList != null && !originalList.isArray()) {
                throw new PatchException("expected a list for " + key + ", but received " + JsonValues.describe(originalList));
            }
            if (originalList == null && patchList == null) {
                continue;
            }
            Optional<FieldPatchStrategy> strategy = ModelSchema.strategy(type, key);
            String mergeKey = strategy.map(FieldPatchStrategy::mergeKey).orElse(null);
            List<JsonNode> orderItems = items(order);
            List<JsonNode> serverOrder = originalList == null ? List.of() : items(originalList);
            checkOrderCoversPatch(patchList == null ? List.of() : items(patchList), orderItems, mergeKey, order);

            JavaType fieldType = ModelSchema.field(type, key);
            ArrayNode merged;
            if (patchList == null) {
                merged = (ArrayNode) originalList;
            } else if (originalList == null) {
                merged = (ArrayNode) StrategicMergePatchApplier.fresh(patchList, fieldType, strategy);
            } else {
                merged = mergeListField((ArrayNode) originalList, (ArrayNode) patchList, fieldType, strategy, false);
            }
            List<JsonNode> ordered = ElementOrder.normalize(ElementOrder.partition(items(merged), orderItems, mergeKey),
                    orderItems, serverOrder, mergeKey);
            original.set(key, toArray(ordered));
            patch.remove(key);
        }
    }

    private static List<JsonNode> mergeList(List<JsonNode> original, List<JsonNode> patch, JavaType elementType,
            String mergeKey, boolean deleteList) {
        if (original.isEmpty() && patch.isEmpty()) {
            return original;
        }
        if (elementKind(original, patch) != JsonNodeType.OBJECT) {
            return deleteList ? without(original, patch) : union(original, patch);
        }
        if (mergeKey == null) {
            throw new PatchException("cannot merge lists without merge key for " + elementType.getRawClass().getSimpleName());
        }
        List<JsonNode> live = new ArrayList<>(original);
        List<JsonNode> plainPatch = new ArrayList<>();
        boolean replace = applyItemDirectives(live, patch, plainPatch, mergeKey);
        if (replace) {
            live.clear();
        }
        List<JsonNode> merged = mergeItems(live, plainPatch, elementType, mergeKey);
        return ElementOrder.normalize(ElementOrder.partition(merged, plainPatch, mergeKey), plainPatch, live, mergeKey);
    }

    /**
     * Deletes the live items that {@code $patch: delete} items name and copies the other patch items to
     * {@code plainPatch}; returns whether a {@code $patch: replace} item asks to replace the whole list.
     */
    private static boolean applyItemDirectives(List<JsonNode> live, List<JsonNode> patch, List<JsonNode> plainPatch, String mergeKey) {
        boolean replace = false;
        for (JsonNode item : patch) {
            JsonNode directive = item.get(Directives.PATCH);
            if (directive == null) {
                plainPatch.add(item);
            } else if (directive.asText().equals(Directives.DELETE) && directive.isTextual()) {
                JsonNode key = item.get(mergeKey);
                if (key == null) {
                    throw new PatchException("delete patch type with no merge key defined");
                }
                live.removeIf(liveItem -> JsonValues.same(liveItem.get(mergeKey), key));
            } else if (directive.asText().equals(Directives.REPLACE) && directive.isTextual()) {
                replace = true;
            } else if (directive.asText().equals(Directives.MERGE) && directive.isTextual()) {
                throw new PatchException("merging lists cannot yet be specified in the patch");
            } else {
                throw new PatchException("unknown patch type: " + directive.asText() + " in map: " + item);
            }
        }
        return replace;
    }

    /** Merges each patch item into the live item with the same merge key, or appends it. */
    private static List<JsonNode> mergeItems(List<JsonNode> live, List<JsonNode> patch, JavaType elementType, String mergeKey) {
        List<JsonNode> merged = new ArrayList<>(live);
        for (JsonNode item : patch) {
            JsonNode key = item.get(mergeKey);
            if (key == null) {
                throw new PatchException("map: " + item + " does not contain declared merge key: " + mergeKey);
            }
            int index = ElementOrder.indexOf(merged, item, mergeKey);
            ObjectNode base = index >= 0 ? (ObjectNode) merged.get(index) : StrategicMergePatchApplier.emptyObject();
            ObjectNode result = StrategicMergePatchApplier.mergeMap(base, (ObjectNode) item, elementType);
            if (index >= 0) {
                merged.set(index, result);
            } else {
                merged.add(result);
            }
        }
        return merged;
    }

    /**
     * Every item the patch sets must appear in the {@code $setElementOrder} list, in the same relative order;
     * items carrying a {@code $patch} directive are exempt.
     */
    private static void checkOrderCoversPatch(List<JsonNode> patchItems, List<JsonNode> order, String mergeKey, JsonNode orderNode) {
        List<JsonNode> toCheck = patchItems.stream().filter(item -> !item.has(Directives.PATCH)).toList();
        int matched = 0;
        for (JsonNode ordered : order) {
            if (matched == toCheck.size()) {
                break;
            }
            if (mergeKey != null && !ordered.has(mergeKey)) {
                throw new PatchException("map: " + ordered + " does not contain declared merge key: " + mergeKey);
            }
            if (ElementOrder.sameItem(toCheck.get(matched), ordered, mergeKey)) {
                matched++;
            }
        }
        if (!order.isEmpty() && matched < toCheck.size()) {
            throw new PatchException("The order in patch list:\n" + toArray(patchItems) + "\n doesn't match "
                    + Directives.SET_ELEMENT_ORDER + " list:\n" + orderNode + "\n");
        }
    }

    /** The JSON kind shared by the items of both lists; lists of lists and mixed lists cannot merge. */
    private static JsonNodeType elementKind(List<JsonNode> original, List<JsonNode> patch) {
        JsonNodeType kind = null;
        for (List<JsonNode> list : List.of(original, patch)) {
            for (JsonNode item : list) {
                if (item.isArray()) {
                    throw new PatchException("lists of lists are not supported");
                }
                if (kind != null && kind != item.getNodeType()) {
                    throw new PatchException("list element types are not identical: " + toArray(original) + ", " + toArray(patch));
                }
                kind = item.getNodeType();
            }
        }
        return kind;
    }

    private static List<JsonNode> union(List<JsonNode> original, List<JsonNode> patch) {
        List<JsonNode> union = new ArrayList<>();
        for (List<JsonNode> list : List.of(original, patch)) {
            for (JsonNode item : list) {
                if (ElementOrder.indexOf(union, item, null) < 0) {
                    union.add(item);
                }
            }
        }
        return union;
    }

    private static List<JsonNode> without(List<JsonNode> original, List<JsonNode> toDelete) {
        return original.stream().filter(item -> ElementOrder.indexOf(toDelete, item, null) < 0).toList();
    }

    /** The list value of a key, or null when the key is absent or null. */
    private static JsonNode presentList(JsonNode value) {
        return value == null || value.isNull() ? null : value;
    }

    private static List<JsonNode> items(JsonNode array) {
        List<JsonNode> items = new ArrayList<>(array.size());
        array.forEach(items::add);
        return items;
    }

    private static ArrayNode toArray(List<JsonNode> items) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode(items.size());
        array.addAll(items);
        return array;
    }
}
