package io.quarkube.api.patch;

import java.util.ArrayList;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** RFC 7386 JSON merge patch: objects merge recursively, null removes a key, any other value replaces. */
final class MergePatchApplier {

    private MergePatchApplier() {
    }

    static JsonNode apply(JsonNode original, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            // A non-object would replace the whole object, which can never decode as a Kubernetes object.
            throw PatchException.badRequest("json: cannot unmarshal " + JsonValues.describe(patch)
                    + " into Go value of type map[string]interface {}");
        }
        ObjectNode target = original != null && original.isObject() ? original.deepCopy() : JsonNodeFactory.instance.objectNode();
        return merge(target, (ObjectNode) patch);
    }

    private static ObjectNode merge(ObjectNode target, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> field : new ArrayList<>(patch.properties())) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject()) {
                JsonNode current = target.get(key);
                ObjectNode base = current != null && current.isObject() ? (ObjectNode) current : target.objectNode();
                target.set(key, merge(base, (ObjectNode) value));
            } else {
                target.set(key, value.deepCopy());
            }
        }
        return target;
    }
}
