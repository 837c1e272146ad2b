package io.quarkube.api.table;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkube.registry.LabelSelector;

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
        String text = LabelSelector.textOf(selector);
        return text.isEmpty() ? Cells.NONE : text;
    }

    private static Map<String, String> sortedEntries(JsonNode map) {
        Map<String, String> sorted = new TreeMap<>();
        map.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
        return sorted;
    }
}
