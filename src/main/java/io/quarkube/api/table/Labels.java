package io.quarkube.api.table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/** Label maps and label selectors written as kubectl shows them ("app=web,tier in (a,b)"). */
final class Labels {

    private Labels() {
    }

    /** A label map as sorted {@code key=value} pairs, {@code <none>} when empty. */
    static String formatMap(JsonNode labels) {
        String text = sortedEntries(labels).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        return text.isEmpty() ? Cells.NONE : text;
    }

    /** A {@code LabelSelector} as text, {@code <none>} when it selects by nothing. */
    static String formatSelector(JsonNode selector) {
        String text = selectorString(selector);
        return text.isEmpty() ? Cells.NONE : text;
    }

    /**
     * A {@code LabelSelector} as selector text: requirements sorted by key, match labels as
     * {@code k=v}, expressions as {@code k in (a,b)}, {@code k notin (a,b)}, {@code k} or {@code !k}.
     */
    static String selectorString(JsonNode selector) {
        if (selector == null || selector.isMissingNode() || selector.isNull()) {
            return "";
        }
        record Requirement(String key, String text) {
        }
        List<Requirement> requirements = new ArrayList<>();
        sortedEntries(selector.path("matchLabels"))
                .forEach((key, value) -> requirements.add(new Requirement(key, key + "=" + value)));
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asText();
            String values = sortedValues(expression.path("values"));
            String text = switch (expression.path("operator").asText()) {
                case "In" -> key + " in (" + values + ")";
                case "NotIn" -> key + " notin (" + values + ")";
                case "Exists" -> key;
                case "DoesNotExist" -> "!" + key;
                default -> key + " " + expression.path("operator").asText() + " (" + values + ")";
            };
            requirements.add(new Requirement(key, text));
        }
        requirements.sort(Comparator.comparing(Requirement::key));
        return requirements.stream().map(Requirement::text).collect(Collectors.joining(","));
    }

    private static Map<String, String> sortedEntries(JsonNode map) {
        Map<String, String> sorted = new TreeMap<>();
        map.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
        return sorted;
    }

    private static String sortedValues(JsonNode values) {
        List<String> sorted = new ArrayList<>();
        values.forEach(v -> sorted.add(v.asText()));
        return sorted.stream().sorted().distinct().collect(Collectors.joining(","));
    }
}
