package io.quarkube.api.table;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/** Small formatting rules shared by several kinds' cells. */
final class Cells {

    static final String NONE = "<none>";
    static final String UNSET = "<unset>";

    private Cells() {
    }

    /** The object's {@code metadata.name}. */
    static String name(JsonNode object) {
        return object.at("/metadata/name").asText();
    }

    /** The text, or {@code fallback} when it is empty. */
    static String orElse(String text, String fallback) {
        return text == null || text.isEmpty() ? fallback : text;
    }

    /** A text field, {@code fallback} when absent or empty. */
    static String text(JsonNode node, String fallback) {
        return node.isValueNode() ? orElse(node.asText(), fallback) : fallback;
    }

    /** The number of entries of a map or array field (0 when absent). */
    static Long size(JsonNode node) {
        return (long) node.size();
    }

    /** Names and images of a pod template's containers, each joined with commas. */
    record ContainerCells(String names, String images) {
        static ContainerCells of(JsonNode podSpec) {
            List<String> names = new ArrayList<>();
            List<String> images = new ArrayList<>();
            for (JsonNode container : podSpec.path("containers")) {
                names.add(container.path("name").asText());
                images.add(container.path("image").asText());
            }
            return new ContainerCells(String.join(",", names), String.join(",", images));
        }
    }

    /**
     * The first {@code max} items joined with commas, followed by " + N more..." when there are more;
     * {@code whenEmpty} for none.
     */
    static String firstWithMore(List<String> items, int max, String whenEmpty) {
        if (items.isEmpty()) {
            return whenEmpty;
        }
        String shown = items.stream().limit(max).collect(Collectors.joining(","));
        return items.size() > max ? shown + " + " + (items.size() - max) + " more..." : shown;
    }

    /** An IntOrString value (e.g. {@code 1} or {@code "50%"}) as text, {@code fallback} when absent. */
    static String intOrString(JsonNode value, String fallback) {
        return value.isMissingNode() || value.isNull() ? fallback : value.asText();
    }

    /** "True"/"False" for a boolean field, {@value #UNSET} when absent. */
    static String boolOrUnset(JsonNode value) {
        if (!value.isBoolean()) {
            return UNSET;
        }
        return value.asBoolean() ? "True" : "False";
    }

    /** {@code host:port}, with brackets around IPv6 hosts. */
    static String joinHostPort(String host, long port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
