package io.quarkube.api.patch;

import java.util.Comparator;

import com.fasterxml.jackson.databind.JsonNode;

/** Small helpers over Jackson trees: value equality as JSON means it, and names of node kinds for messages. */
final class JsonValues {

    /** Numbers compare by value (1 equals 1.0), as the decoded JSON of kube-apiserver does. */
    private static final Comparator<JsonNode> NUMERIC_AWARE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private JsonValues() {
    }

    static boolean same(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.equals(NUMERIC_AWARE, b);
    }

    /** A name for the node's JSON kind, in the words Go's JSON decoder uses in its errors. */
    static String describe(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "null";
        }
        if (node.isObject()) {
            return "object";
        }
        if (node.isArray()) {
            return "array";
        }
        if (node.isTextual()) {
            return "string";
        }
        if (node.isBoolean()) {
            return "bool";
        }
        return "number";
    }
}
