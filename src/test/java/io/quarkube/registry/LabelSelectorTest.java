package io.quarkube.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;

class LabelSelectorTest {

    private static ObjectNode labelled(String... keyValues) {
        ObjectNode object = Json.object();
        ObjectNode labels = object.putObject("metadata").putObject("labels");
        for (int i = 0; i < keyValues.length; i += 2) {
            labels.put(keyValues[i], keyValues[i + 1]);
        }
        return object;
    }

    static Stream<Arguments> cases() {
        ObjectNode prodWeb = labelled("env", "prod", "tier", "web");
        ObjectNode dev = labelled("env", "dev");
        ObjectNode unlabelled = Json.object();
        return Stream.of(
                argumentSet("equality matches", "env=prod", prodWeb, true),
                argumentSet("equality misses", "env=prod", dev, false),
                argumentSet("double equals", "env==dev", dev, true),
                argumentSet("inequality of another value", "env!=prod", dev, true),
                argumentSet("inequality holds for a missing label", "env!=prod", unlabelled, true),
                argumentSet("in", "env in (dev, qa)", dev, true),
                argumentSet("in without the value", "env in (qa)", dev, false),
                argumentSet("notin", "env notin (prod)", prodWeb, false),
                argumentSet("notin holds for a missing label", "env notin (prod)", unlabelled, true),
                argumentSet("exists", "tier", prodWeb, true),
                argumentSet("exists misses", "tier", dev, false),
                argumentSet("does not exist", "!tier", dev, true),
                argumentSet("all requirements must hold", "env=prod,tier=db", prodWeb, false),
                argumentSet("commas inside a set", "env in (dev,prod),tier", prodWeb, true),
                argumentSet("prefixed keys", "app.kubernetes.io/name", labelled("app.kubernetes.io/name", "x"), true),
                argumentSet("empty selects everything", "", unlabelled, true));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void selects(String selector, ObjectNode object, boolean expected) {
        assertEquals(expected, LabelSelector.parse(selector).test(object));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void selectsTypedLabelsAlike(String selector, ObjectNode object, boolean expected) {
        java.util.Map<String, String> labels = object.path("metadata").has("labels")
                ? Json.MAPPER.convertValue(object.path("metadata").get("labels"),
                        new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, String>>() { })
                : null;
        assertEquals(expected, LabelSelector.parse(selector).matches(labels));
    }

    @ParameterizedTest
    @ValueSource(strings = {"env=prod,", "bad key=x", "env in prod", "env=has space", "-leading=x"})
    void malformedSelectorsAreRefused(String selector) {
        assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse(selector));
    }

    @Test
    void blankSelectsEverything() {
        assertTrue(LabelSelector.parse("  ").matchesLabels(null));
        assertTrue(LabelSelector.parse("").matchesLabels(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("a", "b")));
    }

    @Test
    void selectorObjectsAreWrittenAsSortedQueryText() {
        JsonNode selector = io.quarkube.json.Json.parseObject("""
                {"matchLabels":{"tier":"web","app":"shop"},
                 "matchExpressions":[{"key":"zone","operator":"In","values":["b","a"]},{"key":"legacy","operator":"DoesNotExist"}]}""");
        assertEquals("app=shop,!legacy,tier=web,zone in (a,b)", LabelSelector.textOf(selector));
        assertEquals("", LabelSelector.textOf(null));
    }
}
