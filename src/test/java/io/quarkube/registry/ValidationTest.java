package io.quarkube.registry;

import static io.quarkube.testing.TestJson.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;

class ValidationTest {

    static Stream<Arguments> subdomains() {
        return Stream.of(
                argumentSet("simple", "web", true),
                argumentSet("dots", "example.com", true),
                argumentSet("digits first", "1-web", true),
                argumentSet("253 characters", labels(253), true),
                argumentSet("254 characters", labels(254), false),
                argumentSet("upper case", "Web", false),
                argumentSet("leading dash", "-web", false),
                argumentSet("trailing dot", "web.", false),
                argumentSet("empty label", "a..b", false),
                argumentSet("underscore", "my_app", false),
                argumentSet("empty", "", false));
    }

    @ParameterizedTest
    @MethodSource("subdomains")
    void dnsSubdomain(String name, boolean valid) {
        assertEquals(valid, Validation.dnsSubdomain("metadata.name", name).isEmpty());
    }

    static Stream<Arguments> dnsLabels() {
        return Stream.of(
                argumentSet("simple", "web-1", true),
                argumentSet("63 characters", "a".repeat(63), true),
                argumentSet("64 characters", "a".repeat(64), false),
                argumentSet("dot", "web.1", false),
                argumentSet("trailing dash", "web-", false),
                argumentSet("upper case", "WEB", false),
                argumentSet("empty", "", false));
    }

    @ParameterizedTest
    @MethodSource("dnsLabels")
    void dnsLabel(String name, boolean valid) {
        assertEquals(valid, Validation.dnsLabel("metadata.name", name).isEmpty());
    }

    static Stream<Arguments> qualifiedNames() {
        return Stream.of(
                argumentSet("plain", "app", true),
                argumentSet("mixed case and dots", "My.App_1", true),
                argumentSet("prefixed", "app.kubernetes.io/name", true),
                argumentSet("63-character name", "a".repeat(63), true),
                argumentSet("64-character name", "a".repeat(64), false),
                argumentSet("empty prefix", "/name", false),
                argumentSet("empty name", "example.com/", false),
                argumentSet("upper-case prefix", "Example.com/name", false),
                argumentSet("two slashes", "a/b/c", false),
                argumentSet("leading dash", "-app", false),
                argumentSet("space", "my app", false));
    }

    @ParameterizedTest
    @MethodSource("qualifiedNames")
    void qualifiedName(String key, boolean valid) {
        assertEquals(valid, Validation.qualifiedName("metadata.labels", key).isEmpty());
    }

    static Stream<Arguments> labelValues() {
        return Stream.of(
                argumentSet("plain", "prod", true),
                argumentSet("empty", "", true),
                argumentSet("63 characters", "v".repeat(63), true),
                argumentSet("64 characters", "v".repeat(64), false),
                argumentSet("inner punctuation", "v1.2_3-rc", true),
                argumentSet("trailing dot", "v1.", false),
                argumentSet("slash", "a/b", false),
                argumentSet("space", "a b", false));
    }

    @ParameterizedTest
    @MethodSource("labelValues")
    void labelValue(String value, boolean valid) {
        ObjectNode labels = Json.object().put("app", value);
        assertEquals(valid, Validation.labels("metadata.labels", labels).isEmpty());
    }

    @Test
    void everyBadLabelIsReported() {
        List<FieldError> errors = Validation.labels("metadata.labels", json("{'-bad':'ok','good':'-bad','fine':'yes'}"));
        assertEquals(2, errors.size());
        assertEquals(List.of("metadata.labels", "metadata.labels"), errors.stream().map(FieldError::field).toList());
    }

    static Stream<Arguments> annotationSizes() {
        int limit = 256 * 1024;
        return Stream.of(
                argumentSet("at the limit", limit - 1, true),
                argumentSet("one byte over", limit, false));
    }

    @ParameterizedTest
    @MethodSource("annotationSizes")
    void annotationsTotalSize(int valueLength, boolean valid) {
        ObjectNode annotations = Json.object().put("k", "x".repeat(valueLength));
        List<FieldError> errors = Validation.annotations("metadata.annotations", annotations);
        assertEquals(valid ? List.of() : List.of("FieldValueTooLong"), errors.stream().map(FieldError::reason).toList());
    }

    @Test
    void annotationKeysAreQualifiedNames() {
        assertEquals(1, Validation.annotations("metadata.annotations", json("{'kubectl.kubernetes.io/last-applied-configuration':'{}','bad key':''}")).size());
    }

    @Test
    void missingLabelsAndAnnotationsAreValid() {
        assertEquals(List.of(), Validation.labels("metadata.labels", null));
        assertEquals(List.of(), Validation.annotations("metadata.annotations", Json.MAPPER.nullNode()));
    }

    /** A valid subdomain of exactly length characters: labels of 9 letters joined by dots. */
    private static String labels(int length) {
        StringBuilder name = new StringBuilder();
        while (name.length() < length) {
            name.append(name.length() % 10 == 9 ? '.' : 'a');
        }
        name.setCharAt(length - 1, 'a');
        return name.toString();
    }
}
