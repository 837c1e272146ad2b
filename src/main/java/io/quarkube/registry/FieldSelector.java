package io.quarkube.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;

/** A field selector ({@code metadata.name=x,spec.nodeName!=}) over the fields a kind makes selectable. */
public final class FieldSelector implements Predicate<ObjectNode> {

    private record Term(String field, Function<ObjectNode, String> value, String expected, boolean equals) {
    }

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = terms;
    }

    /** Parses a selector; IllegalArgumentException naming a field the kind does not support. */
    public static FieldSelector parse(String text, Map<String, Function<ObjectNode, String>> kindFields) {
        List<Term> terms = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return new FieldSelector(terms);
        }
        for (String part : text.split(",")) {
            int ne = part.indexOf("!=");
            int eq = part.indexOf('=');
            if (ne < 0 && eq < 0) {
                throw new IllegalArgumentException("invalid selector: '" + text + "'; can't understand '" + part + "'");
            }
            boolean equals = ne < 0;
            String field = part.substring(0, equals ? eq : ne).trim();
            int valueStart = equals ? (part.startsWith("==", eq) ? eq + 2 : eq + 1) : ne + 2;
            String expected = part.substring(valueStart).trim();
            Function<ObjectNode, String> value = switch (field) {
                case "metadata.name" -> o -> Json.text(o, "metadata", "name");
                case "metadata.namespace" -> o -> Json.text(o, "metadata", "namespace");
                default -> kindFields.get(field);
            };
            if (value == null) {
                throw new IllegalArgumentException("field label not supported: " + field);
            }
            terms.add(new Term(field, value, expected, equals));
        }
        return new FieldSelector(terms);
    }

    @Override
    public boolean test(ObjectNode object) {
        for (Term term : terms) {
            String actual = term.value().apply(object);
            boolean same = term.expected().equals(actual == null ? "" : actual);
            if (same != term.equals()) {
                return false;
            }
        }
        return true;
    }
}
