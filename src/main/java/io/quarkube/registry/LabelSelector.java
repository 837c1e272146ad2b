package io.quarkube.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A label selector in its query-string form, equality-based ({@code a=b}, {@code a==b},
 * {@code a!=b}) and set-based ({@code a in (x,y)}, {@code a notin (x)}, {@code a}, {@code !a}),
 * requirements joined by commas.
 */
public final class LabelSelector implements Predicate<ObjectNode> {

    private enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    private record Requirement(String key, Operator operator, Set<String> values) {
        boolean matches(JsonNode labels) {
            JsonNode value = labels == null ? null : labels.get(key);
            return matchesValue(value == null || value.isNull() ? null : value.asText());
        }

        /** Whether the label's value (null when the label is absent) meets the requirement. */
        boolean matchesValue(String value) {
            boolean present = value != null;
            return switch (operator) {
                case EXISTS -> present;
                case DOES_NOT_EXIST -> !present;
                case EQUALS, IN -> present && values.contains(value);
                case NOT_EQUALS, NOT_IN -> !present || !values.contains(value);
            };
        }
    }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    /** Parses a selector; IllegalArgumentException with kube's wording for malformed input. */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        for (String part : splitTopLevel(text)) {
            requirements.add(requirement(part.trim(), text));
        }
        return new LabelSelector(requirements);
    }

    private static Requirement requirement(String part, String whole) {
        if (part.isEmpty()) {
            throw new IllegalArgumentException("unable to parse requirement: found '', expected: identifier in \"" + whole + "\"");
        }
        String[] words = part.split("\\s+", 2);
        if (words.length == 2 && (words[1].startsWith("in ") || words[1].startsWith("in(") || words[1].startsWith("notin"))) {
            boolean notIn = words[1].startsWith("notin");
            String list = words[1].substring(notIn ? 5 : 2).trim();
            if (!list.startsWith("(") || !list.endsWith(")")) {
                throw new IllegalArgumentException("unable to parse requirement: found '" + list + "', expected: '('");
            }
            Set<String> values = new LinkedHashSet<>();
            for (String value : list.substring(1, list.length() - 1).split(",")) {
                values.add(checkValue(value.trim()));
            }
            return new Requirement(checkKey(words[0]), notIn ? Operator.NOT_IN : Operator.IN, values);
        }
        int ne = part.indexOf("!=");
        if (ne > 0) {
            return new Requirement(checkKey(part.substring(0, ne).trim()), Operator.NOT_EQUALS,
                    Set.of(checkValue(part.substring(ne + 2).trim())));
        }
        int eq = part.indexOf('=');
        if (eq > 0) {
            int valueStart = part.startsWith("==", eq) ? eq + 2 : eq + 1;
            return new Requirement(checkKey(part.substring(0, eq).trim()), Operator.EQUALS,
                    Set.of(checkValue(part.substring(valueStart).trim())));
        }
        if (part.startsWith("!")) {
            return new Requirement(checkKey(part.substring(1).trim()), Operator.DOES_NOT_EXIST, Set.of());
        }
        return new Requirement(checkKey(part), Operator.EXISTS, Set.of());
    }

    private static String checkKey(String key) {
        if (key.isEmpty() || !Validation.qualifiedName("labelSelector", key).isEmpty()) {
            throw new IllegalArgumentException("unable to parse requirement: invalid label key \"" + key + "\"");
        }
        return key;
    }

    private static String checkValue(String value) {
        if (value.length() > 63 || !value.matches("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")) {
            throw new IllegalArgumentException("unable to parse requirement: invalid label value: \"" + value + "\"");
        }
        return value;
    }

    /** Splits on commas outside parentheses. */
    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    public boolean matchesLabels(JsonNode labels) {
        for (Requirement requirement : requirements) {
            if (!requirement.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** Whether labels as a typed model holds them (null for none) match, without building a JSON tree. */
    public boolean matches(java.util.Map<String, String> labels) {
        for (Requirement requirement : requirements) {
            if (!requirement.matchesValue(labels == null ? null : labels.get(requirement.key()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean test(ObjectNode object) {
        return requirements.isEmpty() || matchesLabels(object.path("metadata").get("labels"));
    }

    /**
     * A {@code metav1.LabelSelector} object (matchLabels, matchExpressions) in query-string form,
     * as kube-apiserver writes it: requirements sorted by key, match labels as {@code k=v},
     * expressions as {@code k in (a,b)}, {@code k notin (a,b)}, {@code k} or {@code !k}. Empty for
     * a missing selector.
     */
    public static String textOf(JsonNode selector) {
        if (selector == null || selector.isMissingNode() || selector.isNull()) {
            return "";
        }
        record Term(String key, String text) {
        }
        List<Term> terms = new ArrayList<>();
        selector.path("matchLabels").fields().forEachRemaining(e ->
                terms.add(new Term(e.getKey(), e.getKey() + "=" + e.getValue().asText())));
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asText();
            List<String> sorted = new ArrayList<>();
            expression.path("values").forEach(v -> sorted.add(v.asText()));
            String values = String.join(",", sorted.stream().sorted().distinct().toList());
            String text = switch (expression.path("operator").asText()) {
                case "In" -> key + " in (" + values + ")";
                case "NotIn" -> key + " notin (" + values + ")";
                case "Exists" -> key;
                case "DoesNotExist" -> "!" + key;
                default -> key + " " + expression.path("operator").asText() + " (" + values + ")";
            };
            terms.add(new Term(key, text));
        }
        terms.sort(Comparator.comparing(Term::key));
        return String.join(",", terms.stream().map(Term::text).toList());
    }
}
